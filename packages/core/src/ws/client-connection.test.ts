import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import { Opcode, WsClientConnection, acceptFor, type MaskMode, type WsClientContext } from '../internal.js';

interface Outcome {
  opened: boolean;
  messages: Buffer[];
  closed: Promise<{ cause: string; detail: string }>;
  conn: WsClientConnection;
}

function connect(port: number, opts: { mask?: MaskMode; subprotocol?: string; readBytes?: number } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    let closeResolve!: (v: { cause: string; detail: string }) => void;
    const out: Outcome = { opened: false, messages: [], closed: new Promise((r) => (closeResolve = r)), conn: null as unknown as WsClientConnection };
    const ctx: WsClientContext<WsClientConnection> = {
      readBuffer: Buffer.allocUnsafe(opts.readBytes ?? 65536),
      maxPayload: 1 << 20,
      mask: opts.mask ?? 'random',
      path: '/',
      subprotocol: opts.subprotocol,
      events: {
        onOpen: () => {
          out.opened = true;
          resolve(out);
        },
        onMessage: (_c, _op, payload) => out.messages.push(Buffer.from(payload)),
        onClose: (_c, cause, detail) => {
          closeResolve({ cause, detail });
          resolve(out);
        },
      },
    };
    out.conn = new WsClientConnection(ctx);
    out.conn.open({ host: '127.0.0.1', port }, performance.now());
  });
}

async function wsServer(onConnection: (ws: WebSocket) => void): Promise<{ port: number; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  wss.on('connection', onConnection);
  await once(wss, 'listening');
  return { port: (wss.address() as net.AddressInfo).port, close: () => wss.close() };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

for (const mask of ['random', 'zero'] as const) {
  test(`against ws: handshake, masked frames (${mask} key) of every length class, echo`, async () => {
    const srv = await wsServer((ws) => ws.on('message', (d, isBinary) => ws.send(d, { binary: isBinary })));
    const c = await connect(srv.port, { mask, readBytes: 1024 });
    assert.ok(c.opened);
    const sizes = [0, 1, 125, 126, 65535, 65536, 200_000];
    for (const n of sizes) c.conn.send(Buffer.alloc(n, n % 251));
    await until(() => c.messages.length === sizes.length);
    assert.deepEqual(
      c.messages.map((m) => m.length),
      sizes,
    );
    for (const [i, n] of sizes.entries()) assert.ok(c.messages[i].equals(Buffer.alloc(n, n % 251)));
    c.conn.close();
    assert.equal((await c.closed).cause, 'local');
    srv.close();
  });
}

test('against ws: fragmented messages are reassembled, pings answered, server close reported', async () => {
  let pongs = 0;
  const srv = await wsServer((ws) => {
    ws.on('pong', () => pongs++);
    ws.send(Buffer.from('hel'), { fin: false });
    ws.send(Buffer.from('lo'), { fin: true });
    ws.ping(Buffer.from('p1'));
    setTimeout(() => ws.close(4000, 'bye'), 50);
  });
  const c = await connect(srv.port);
  const closed = await c.closed;
  assert.deepEqual(c.messages.map(String), ['hello']);
  assert.equal(pongs, 1);
  assert.equal(closed.cause, 'closed');
  assert.match(closed.detail, /4000 bye/);
  srv.close();
});

test('against ws: the negotiated subprotocol is accepted', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has('mdbench.v1') ? 'mdbench.v1' : false) });
  await once(wss, 'listening');
  const c = await connect((wss.address() as net.AddressInfo).port, { subprotocol: 'mdbench.v1' });
  assert.ok(c.opened);
  c.conn.close();
  await c.closed;
  wss.close();
});

/** A raw TCP server that answers the upgrade with `reply(key)`. */
async function rawServer(reply: (key: string) => string | Buffer): Promise<{ port: number; close: () => void }> {
  const srv = net.createServer((s) => {
    let req = '';
    s.on('data', (d) => {
      req += d;
      if (!req.includes('\r\n\r\n')) return;
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(req)?.[1] ?? '';
      s.write(reply(key));
    });
    s.on('error', () => {});
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

const ok101 = (accept: string) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;

test('a wrong Sec-WebSocket-Accept is refused', async () => {
  const srv = await rawServer(() => ok101('bm90IHRoZSByaWdodCBrZXk='));
  const c = await connect(srv.port);
  assert.equal(c.opened, false);
  assert.deepEqual(await c.closed, { cause: 'handshake', detail: 'wrong Sec-WebSocket-Accept' });
  srv.close();
});

test('an HTTP refusal is reported with its status', async () => {
  const srv = await rawServer(() => 'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
  const c = await connect(srv.port);
  assert.deepEqual(await c.closed, { cause: 'handshake', detail: 'HTTP 401' });
  srv.close();
});

test('a masked server frame is a protocol error; frames right after the 101 are read', async () => {
  const srv = await rawServer((key) =>
    Buffer.concat([Buffer.from(ok101(acceptFor(key))), Buffer.from([0x82, 0x02, 0x68, 0x69]), Buffer.from([0x82, 0x81, 1, 2, 3, 4, 5])]),
  );
  const c = await connect(srv.port);
  assert.ok(c.opened);
  const closed = await c.closed;
  assert.deepEqual(c.messages.map(String), ['hi']);
  assert.equal(closed.cause, 'protocol');
  assert.match(closed.detail, /masked/);
  srv.close();
});

test('a refused connection reports ECONNREFUSED', async () => {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as net.AddressInfo).port;
  srv.close();
  await once(srv, 'close');
  const c = await connect(port);
  assert.equal((await c.closed).cause, 'ECONNREFUSED');
});

test('a hostile server: fragments whose total passes the limit close the connection (1009), not only each fragment', async () => {
  // 1 MiB limit; 40 fragments of 64 KiB each (each under it, 2.5 MiB in all).
  const frag = (first: boolean, fin: boolean) => {
    const b = Buffer.alloc(4 + 65535);
    b[0] = (fin ? 0x80 : 0) | (first ? Opcode.BINARY : Opcode.CONTINUATION);
    b[1] = 126;
    b.writeUInt16BE(65535, 2);
    return b;
  };
  const srv = await rawServer((key) => Buffer.concat([Buffer.from(ok101(acceptFor(key))), ...Array.from({ length: 40 }, (_, i) => frag(i === 0, i === 39))]));
  const c = await connect(srv.port);
  const closed = await c.closed;
  assert.equal(closed.cause, 'protocol');
  assert.match(closed.detail, /fragmented message over the 1048576-byte limit/);
  assert.deepEqual(c.messages, []);
  srv.close();
});

test('a server that sends its close and never ends the connection is dropped after 2 s', async () => {
  const srv = await rawServer((key) => Buffer.concat([Buffer.from(ok101(acceptFor(key))), Buffer.from([0x88, 0x02, 0x03, 0xe8])]));
  const t0 = performance.now();
  const c = await connect(srv.port);
  const closed = await c.closed;
  assert.equal(closed.cause, 'closed');
  assert.ok(performance.now() - t0 < 6000, 'held past the close timeout');
  srv.close();
});
