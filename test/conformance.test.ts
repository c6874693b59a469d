import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { WebSocketServer } from 'ws';
import { FrameType, Opcode, acceptFor, closePayload, decodeSubjectList, encodeClientFrame, encodeSubjectList, readServerFrames } from '@mdbench/core/internal';
import { startServer } from '../tools/harness/processes.mjs';

// The same WebSocket frame cases against ws (the reference: an app that echoes binary messages and
// closes text ones with 1003, as mdbench-server's protocol does) and against mdbench-server (whose
// own upgrade and frame reader replaced http.Server + ws). A binary message's round trip is an echo
// on ws and a SUBSCRIBE answered by its SUBACK on mdbench-server: either way, the bytes came back.

const LIMIT = 4096;
const KEY = Buffer.from('0123456789abcdef').toString('base64');

interface Outcome {
  messages: Buffer[];
  pongs: Buffer[];
  close: number | null;
}

/** Connects, upgrades, writes `bytes`, and collects what comes back until the server closes (or 1.5 s). */
async function exchange(port: number, bytes: Buffer[], want: number): Promise<Outcome> {
  const sock = net.connect({ host: '127.0.0.1', port });
  await once(sock, 'connect');
  sock.write(
    `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mdbench.v1\r\n\r\n`,
  );
  let buf = Buffer.alloc(0);
  const out: Outcome = { messages: [], pongs: [], close: null };
  let upgraded = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1500);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        assert.match(buf.toString('latin1', 0, end), new RegExp(`^HTTP/1.1 101[^]*${acceptFor(KEY).replace(/[+/]/g, '\\$&')}`));
        buf = buf.subarray(end + 4);
        upgraded = true;
        for (const b of bytes) sock.write(b);
      }
      const used = readServerFrames(buf, 0, buf.length, 1 << 20, {
        onFrame: (_fin, op, p) => {
          if (op === Opcode.PONG) out.pongs.push(Buffer.from(p));
          else if (op === Opcode.CLOSE) out.close = p.length >= 2 ? p.readUInt16BE(0) : 1005;
          else out.messages.push(Buffer.from(p));
        },
      });
      buf = buf.subarray(used);
      if (out.close !== null || (want > 0 && out.messages.length + out.pongs.length >= want)) {
        clearTimeout(timer);
        resolve();
      }
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    sock.on('error', () => {});
  });
  await done;
  sock.destroy();
  return out;
}

/** A masked frame with explicit fin / rsv / mask choices. */
function frame(opcode: number, payload: Buffer, o: { fin?: boolean; rsv?: number; masked?: boolean } = {}): Buffer {
  if (o.masked === false) {
    const head =
      payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([head, payload]);
  }
  const f = encodeClientFrame(opcode, payload, 'random');
  if (o.fin === false) f[0] &= 0x7f;
  if (o.rsv) f[0] |= o.rsv;
  return f;
}

/** A binary message of about `n` bytes that mdbench-server answers in kind: a SUBSCRIBE of one long subject. */
/** A SUBSCRIBE of `n` bytes (for n >= 9): its subjects distinct and each within the server's 1 KiB a subject. */
const subscribeOf = (n: number) => {
  if (n <= 1006) return encodeSubjectList(FrameType.SUBSCRIBE, [`/s/${'x'.repeat(Math.max(0, n - 9))}`]);
  const count = Math.ceil((n - 4) / 1002);
  const subjects: string[] = [];
  let left = n - 4;
  for (let i = 0; i < count; i++) {
    const bytes = Math.floor(left / (count - i)) - 2;
    const head = `/s/${i}/`;
    subjects.push(head + 'x'.repeat(bytes - head.length));
    left -= bytes + 2;
  }
  return encodeSubjectList(FrameType.SUBSCRIBE, subjects);
};
/** What came back for a binary message: the echoed bytes (ws) or the SUBACK's subjects re-encoded as a SUBSCRIBE (mdbench). */
const roundTrip = (o: Outcome) => o.messages.map((m) => (m[0] === FrameType.SUBACK ? encodeSubjectList(FrameType.SUBSCRIBE, decodeSubjectList(m)) : m));

const cases: { name: string; bytes: () => Buffer[]; want?: number; expect: (o: Outcome) => void }[] = [
  ...[0, 1, 100, 125, 126, 127, 1000, 4000].map((n) => ({
    name: `a binary message in the ${n < 126 ? '7-bit' : '16-bit'} length class (${n} bytes) arrives intact`,
    bytes: () => [frame(Opcode.BINARY, subscribeOf(n))],
    want: 1,
    expect: (o: Outcome) => assert.deepEqual(roundTrip(o), [subscribeOf(n)]),
  })),
  {
    name: 'a message in three fragments, with a ping between them, is reassembled; the ping answered with its payload',
    bytes: () => {
      const m = subscribeOf(300);
      return [
        frame(Opcode.BINARY, m.subarray(0, 100), { fin: false }),
        frame(Opcode.CONTINUATION, m.subarray(100, 200), { fin: false }),
        frame(Opcode.PING, Buffer.from('ping!')),
        frame(Opcode.CONTINUATION, m.subarray(200)),
      ];
    },
    want: 2,
    expect: (o) => {
      assert.deepEqual(roundTrip(o), [subscribeOf(300)]);
      assert.deepEqual(o.pongs, [Buffer.from('ping!')]);
    },
  },
  ...[1000, 1001, 3000, 4999].map((code) => ({
    name: `a close with ${code} is answered with ${code}`,
    bytes: () => [frame(Opcode.CLOSE, closePayload(code, 'bye'))],
    expect: (o: Outcome) => assert.equal(o.close, code),
  })),
  { name: 'an empty close is answered with an empty close', bytes: () => [frame(Opcode.CLOSE, Buffer.alloc(0))], expect: (o) => assert.equal(o.close, 1005) },
  {
    name: 'a frame over the receive limit is closed with 1009 (from its header alone)',
    bytes: () => [frame(Opcode.BINARY, Buffer.alloc(LIMIT + 1)).subarray(0, 20)],
    expect: (o) => assert.equal(o.close, 1009),
  },
  {
    name: 'an unmasked client frame is closed with 1002',
    bytes: () => [frame(Opcode.BINARY, subscribeOf(20), { masked: false })],
    expect: (o) => assert.equal(o.close, 1002),
  },
  {
    name: 'reserved bits without an extension are closed with 1002',
    bytes: () => [frame(Opcode.BINARY, subscribeOf(20), { rsv: 0x40 })],
    expect: (o) => assert.equal(o.close, 1002),
  },
  { name: 'an unknown opcode is closed with 1002', bytes: () => [frame(0x3, Buffer.from('x'))], expect: (o) => assert.equal(o.close, 1002) },
  {
    name: 'a fragmented ping is closed with 1002',
    bytes: () => [frame(Opcode.PING, Buffer.from('x'), { fin: false })],
    expect: (o) => assert.equal(o.close, 1002),
  },
  {
    name: 'a continuation without a message is closed with 1002',
    bytes: () => [frame(Opcode.CONTINUATION, Buffer.from('x'))],
    expect: (o) => assert.equal(o.close, 1002),
  },
  {
    name: 'a text message is closed with 1003 (neither protocol speaks text)',
    bytes: () => [frame(Opcode.TEXT, Buffer.from('hello'))],
    expect: (o) => assert.equal(o.close, 1003),
  },
];

test('WebSocket conformance: mdbench-server answers every frame case as ws does', async () => {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    maxPayload: LIMIT,
    perMessageDeflate: false,
    handleProtocols: (p) => (p.has('mdbench.v1') ? 'mdbench.v1' : false),
  });
  await once(wss, 'listening');
  wss.on('connection', (ws) => {
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => (isBinary ? ws.send(data as Buffer) : ws.close(1003, 'text')));
  });
  const server = await startServer(['--workers', '1', '--buffer-limit-receive', String(LIMIT)]);
  const wsPort = (wss.address() as net.AddressInfo).port;
  for (const c of cases) {
    for (const [who, port] of [
      ['ws', wsPort],
      ['mdbench-server', server.port],
    ] as const) {
      const o = await exchange(port, c.bytes(), c.want ?? 0);
      try {
        c.expect(o);
      } catch (err) {
        throw new Error(`${who}: ${c.name}: ${(err as Error).message}`);
      }
    }
  }
  wss.close();
  assert.equal(await server.stop(), 0);
});
