import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { once } from 'node:events';
import { acceptFor, encodeClientFrame, Opcode } from '@mdbench/core/internal';
export { freePort, signalTree } from '../../tools/harness/processes.mjs';

/** A raw WebSocket client socket after a completed handshake (for hostile and stalled peers). */
export async function rawWebSocket(port: number, extraHeaders = ''): Promise<net.Socket> {
  return (await rawWebSocketWithHead(port, extraHeaders)).sock;
}

/** rawWebSocket with the server's 101 response head (to read the extensions it agreed to). */
export async function rawWebSocketWithHead(port: number, extraHeaders = ''): Promise<{ sock: net.Socket; head: string }> {
  const sock = net.connect({ host: '127.0.0.1', port });
  await once(sock, 'connect');
  const key = Buffer.from('0123456789abcdef').toString('base64');
  sock.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mdbench.v1\r\n${extraHeaders}\r\n`,
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) head += (await once(sock, 'data'))[0].toString('latin1');
  if (!head.startsWith('HTTP/1.1 101') || !head.includes(acceptFor(key))) throw new Error(`bad handshake: ${head}`);
  return { sock, head };
}

export function frame(payload: Buffer, opcode: number = Opcode.BINARY): Buffer {
  return encodeClientFrame(opcode, payload);
}

/** Appends one observed row for docs/reliability.md when RELIABILITY_OUT names a file. */
export function recordOutcome(row: { fault: string; expected: string; observed: Record<string, number | string>; unaccounted: number }): void {
  const out = process.env.RELIABILITY_OUT;
  if (out) appendFileSync(out, `${JSON.stringify(row)}\n`);
}
