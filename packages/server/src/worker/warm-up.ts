import net from 'node:net';
import { once } from 'node:events';
import {
  FrameType,
  NATIVE_SUBPROTOCOL,
  Opcode,
  buildUpgradeRequest,
  encodeClientFrame,
  encodeMessage,
  encodeSubjectList,
  newKey,
  serverHeaderBytes,
} from '@mdbench/core/worker';
import type { Peers } from './peers.js';

/** Messages a worker sends itself before it listens: enough for V8 to optimise the path a message takes. */
const WARM_MESSAGES = 20_000;
const PAYLOAD_BYTES = 512;
const TIMEOUT_MS = 5000;

/**
 * Runs messages through the worker's own hot path before it takes a client: a socket of its own,
 * upgraded, subscribed and sent MESSAGE frames that the worker parses, routes, frames and writes
 * back (Peers, the native handler, the Router), as a run's would be. Without it the first second of
 * a run at 25,000 msg/s is served by unoptimised code: measured here, the first interval's mean
 * latency 42 ms against 1.5 ms steady, the server's cold start read as its latency. The worker's
 * counters are cleared afterwards by the caller; a warm-up that fails or takes too long is
 * abandoned (the run goes on, merely colder).
 */
export async function warmHotPath(peers: Peers, o: { subject: string; token?: string; count?: number }): Promise<void> {
  const count = o.count ?? WARM_MESSAGES;
  let own: net.Socket | null = null;
  const server = net.createServer((s) => {
    own = s;
    peers.accept(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  try {
    await once(sock, 'connect');
    sock.write(
      buildUpgradeRequest({
        host: '127.0.0.1',
        port,
        path: '/',
        key: newKey(),
        subprotocol: NATIVE_SUBPROTOCOL,
        headers: o.token ? { Authorization: `Bearer ${o.token}` } : undefined,
      }),
    );
    // The 101 head, then the SUBACK, then every message back as a server frame around the same bytes.
    const suback = encodeSubjectList(FrameType.SUBACK, [o.subject]);
    const message = encodeMessage({ subject: o.subject, publisherId: 0, seq: 0, scheduledUs: 0, sentUs: 0 }, Buffer.alloc(PAYLOAD_BYTES, 0x61));
    const messagesBytes = count * (serverHeaderBytes(message.length) + message.length);
    let head = Buffer.alloc(0);
    let wanted = Infinity;
    let received = 0;
    let subscribed!: () => void;
    const ready = new Promise<void>((r) => (subscribed = r));
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('warm-up took too long')), TIMEOUT_MS);
      sock.on('data', (d: Buffer) => {
        if (wanted === Infinity) {
          head = Buffer.concat([head, d]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0 || head.length < end + 4 + serverHeaderBytes(suback.length) + suback.length) return;
          received = head.length - (end + 4 + serverHeaderBytes(suback.length) + suback.length);
          wanted = messagesBytes;
          subscribed();
        } else received += d.length;
        if (received >= wanted) {
          clearTimeout(timer);
          resolve();
        }
      });
      sock.on('error', reject);
    });
    done.catch(() => {});
    sock.write(encodeClientFrame(Opcode.BINARY, encodeSubjectList(FrameType.SUBSCRIBE, [o.subject])));
    await Promise.race([ready, done]);
    const batch: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      message.writeUInt32BE(i, 8); // the sequence number: the bytes differ as a run's do
      batch.push(encodeClientFrame(Opcode.BINARY, message));
      if (batch.length === 500) {
        sock.write(Buffer.concat(batch));
        batch.length = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
    if (batch.length) sock.write(Buffer.concat(batch));
    await done;
  } finally {
    // The server's end goes first, its unread messages with it, and is gone (its subscription
    // released) before the caller clears the counters: a warm-up cut short by its timeout on a busy
    // host must not go on counting messages into the run's.
    const end = own as net.Socket | null;
    if (end && !end.destroyed) {
      const closed = once(end, 'close');
      end.destroy();
      await closed;
    }
    sock.destroy();
    server.close();
  }
}
