import { test } from 'node:test';
import assert from 'node:assert/strict';
import type net from 'node:net';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { WebSocketServer } from 'ws';
import { acceptDeflateResponse, deflateMessage, deflateOfferHeader, inflateMessage, negotiateDeflate, nextHistory } from './deflate.js';
import { WsProtocolError } from './frames.js';
import type { WsClientContext } from './client-context.js';
import { WsClientConnection } from './client-connection.js';
import type { Counters } from '../stats/counters.js';

const text = (n: number, seed = 1) => {
  let x = seed;
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = 65 + ((x >>> 16) % 26);
  }
  return b;
};

test('the client offers no context first, then a context the server keeps; takeover asks only for the second', () => {
  assert.equal(
    deflateOfferHeader({ takeover: false, windowBits: 15 }),
    'permessage-deflate; server_no_context_takeover; client_no_context_takeover; client_max_window_bits, permessage-deflate; client_no_context_takeover; client_max_window_bits',
  );
  assert.equal(
    deflateOfferHeader({ takeover: true, windowBits: 10 }),
    'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=10',
  );
});

test('a server response is checked against the offer', () => {
  const offer = { takeover: false, windowBits: 12 };
  assert.equal(acceptDeflateResponse(undefined, offer), null);
  assert.deepEqual(acceptDeflateResponse('permessage-deflate; server_no_context_takeover; client_no_context_takeover', offer), {
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    serverMaxWindowBits: 15,
    clientMaxWindowBits: 15,
  });
  assert.equal(acceptDeflateResponse('permessage-deflate; server_max_window_bits=10; client_max_window_bits=9', offer)?.serverMaxWindowBits, 10);
  assert.throws(() => acceptDeflateResponse('x-webkit-deflate-frame', offer), /not offered/);
  assert.throws(() => acceptDeflateResponse('permessage-deflate; server_max_window_bits=14', offer), /above the 12 offered/);
  assert.throws(() => acceptDeflateResponse('permessage-deflate; server_max_window_bits=7', offer), /bad max_window_bits/);
  assert.throws(() => acceptDeflateResponse('permessage-deflate; mystery', offer), /unknown parameter mystery/);
  assert.throws(() => acceptDeflateResponse('permessage-deflate; server_no_context_takeover=1', offer), /takes no value/);
  assert.throws(() => acceptDeflateResponse('permessage-deflate, permessage-deflate', offer), /not offered/);
});

test('the server takes the first offer it can, never keeps its own context, and echoes the limits asked', () => {
  assert.equal(negotiateDeflate(undefined), null);
  assert.equal(negotiateDeflate('x-webkit-deflate-frame'), null);
  const lean = negotiateDeflate(
    'permessage-deflate; server_max_window_bits=20, permessage-deflate; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits',
  );
  assert.equal(lean?.response, 'permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10');
  assert.deepEqual(lean?.params, { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 15 });
  // A browser's offer: the client keeps its context, so the server keeps the client's history.
  const browser = negotiateDeflate('permessage-deflate; client_max_window_bits');
  assert.equal(browser?.response, 'permessage-deflate; server_no_context_takeover');
  assert.equal(browser?.params.clientNoContextTakeover, false);
});

test('messages round-trip; incompressible ones and windows too small for them go uncompressed', () => {
  for (const n of [1, 100, 512, 4096, 100_000]) {
    const m = Buffer.from('{"subject":"/p/s1/-","price":1234.5} '.repeat(Math.ceil(n / 37)).slice(0, n));
    const packed = deflateMessage(m, 15);
    if (n < 20) continue;
    assert.ok(packed !== null && packed.length < n, `${n} bytes compress`);
    assert.deepEqual(inflateMessage(packed, 1 << 20, null), m);
  }
  const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 2654435761) >>> 24));
  assert.equal(deflateMessage(zlib.deflateRawSync(random), 15), null, 'already compressed data is sent as it is');
  assert.equal(deflateMessage(text(4096), 9), null, 'a 4 KiB message needs more than a 512-byte window');
  assert.ok(deflateMessage(text(4096), 12) !== null);
});

test('a compression bomb stops at the receive limit (1009); bytes that are not deflate are 1007', () => {
  const bomb = deflateMessage(Buffer.alloc(8 << 20), 15) as Buffer;
  assert.ok(bomb.length < 16_384, `bomb of ${bomb.length} bytes`);
  assert.throws(
    () => inflateMessage(bomb, 1 << 20, null),
    (e: unknown) => e instanceof WsProtocolError && e.closeCode === 1009,
  );
  assert.throws(
    () => inflateMessage(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]), 1 << 20, null),
    (e: unknown) => e instanceof WsProtocolError && e.closeCode === 1007,
  );
});

test('a peer that keeps its context is read with the history as dictionary, bounded by its window', async () => {
  for (const bits of [9, 12, 15]) {
    const stream = zlib.createDeflateRaw({ windowBits: bits });
    let history: Buffer | null = null;
    for (let k = 0; k < 60; k++) {
      // Repeats of earlier messages make the compressor refer back into the context.
      const m = k % 3 === 2 ? text(300 + k, k - 2) : text(300 + k * 13, k);
      stream.write(m);
      const chunks: Buffer[] = [];
      await new Promise<void>((r) => stream.flush(zlib.constants.Z_SYNC_FLUSH, () => r()));
      let c: Buffer | null;
      while ((c = stream.read()) !== null) chunks.push(c);
      const wire = Buffer.concat(chunks);
      assert.deepEqual(wire.subarray(-4), Buffer.from([0, 0, 0xff, 0xff]));
      const out = inflateMessage(wire.subarray(0, -4), 1 << 20, history);
      assert.deepEqual(out, m, `message ${k} at ${bits} bits`);
      history = nextHistory(history, out, bits);
      assert.ok(history.length <= 1 << bits);
    }
    stream.close();
  }
});

test("against ws (its permessage-deflate keeps context by default): messages both ways, with and without the server's context", async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { threshold: 0 } });
  const extensions: string[] = [];
  wss.on('connection', (ws, req) => {
    extensions.push(String(req.headers['sec-websocket-extensions']));
    ws.on('message', (data, isBinary) => {
      // Echo three times: the later copies refer back to the first through ws's kept context.
      for (let i = 0; i < 3; i++) ws.send(data, { binary: isBinary });
    });
  });
  await once(wss, 'listening');
  const port = (wss.address() as net.AddressInfo).port;
  for (const takeover of [false, true]) {
    const got: Buffer[] = [];
    const counters: Counters = {};
    let opened!: () => void;
    const open = new Promise<void>((r) => (opened = r));
    const ctx: WsClientContext<WsClientConnection> = {
      readBuffer: Buffer.allocUnsafe(65536),
      maxPayload: 1 << 20,
      mask: 'random',
      path: '/',
      deflate: { takeover, windowBits: 15 },
      deflateCounters: counters,
      events: { onOpen: () => opened(), onMessage: (_c, _op, p) => got.push(Buffer.from(p)), onClose: () => {} },
    };
    const conn = new WsClientConnection(ctx);
    conn.open({ host: '127.0.0.1', port }, 0);
    await open;
    assert.equal(conn.deflate?.serverNoContextTakeover, !takeover);
    const sent = [text(700, 3), text(90, 4), text(700, 3), text(20_000, 5)];
    for (const m of sent) conn.send(m);
    const end = Date.now() + 5000;
    while (got.length < sent.length * 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    assert.equal(got.length, sent.length * 3);
    for (let i = 0; i < got.length; i++) assert.deepEqual(got[i], sent[Math.floor(i / 3)]);
    assert.ok(counters.deflateWireBytes < counters.deflateMessageBytes * (takeover ? 0.5 : 0.7), JSON.stringify(counters));
    conn.close();
  }
  assert.match(extensions[0], /server_no_context_takeover/);
  assert.doesNotMatch(extensions[1], /server_no_context_takeover/);
  wss.close();
});
