import tls from 'node:tls';
import { increment } from '../stats/counters.js';
import { EventStream, EventStreamError, type EventSink } from '../sse/event-stream.js';
import { checkStreamResponse } from '../sse/http-head.js';
import { ResponseReader } from '../sse/response-reader.js';
import { type CloseCause, type WsTarget, WsState } from './client-context.js';
import { dropAfter, dropSocket } from './client-socket.js';
import { deflateMessage, inflateMessage, nextHistory, type DeflateParams } from './deflate.js';
import { FragmentJoin } from './fragment-join.js';
import { CloseCode, Opcode, WsProtocolError, closePayload, encodeClientFrame, readServerFrames } from './frames.js';
import { checkUpgradeResponse, type HandshakeError, type UpgradeResponse } from './handshake.js';
import { openingRequest } from './opening-request.js';
import { PartialFrame } from './partial-frame.js';
import { SocketConnection } from './socket-connection.js';

/** Bytes queued unsent to the server above which pings are no longer answered. */
const MAX_QUEUED_PONG_BYTES = 1 << 20;

/** Longest event-stream line a connection holds while it is not yet whole. */
const MAX_SSE_LINE = 64 * 1024;

/**
 * A lean RFC 6455 client connection over net.Socket: a handshake with a validated
 * Sec-WebSocket-Accept, masked frames out, unmasked frames in, ping/pong and close handled. It keeps
 * only a few fields per connection and reads into a buffer shared by the whole process, so a worker
 * can hold tens of thousands of them at close to a bare socket's memory.
 */
export class WsClientConnection extends SocketConnection implements EventSink {
  /**
   * Bytes of a handshake (Buffer) or frame (PartialFrame) that has not arrived whole yet; on an open
   * event stream its reader, on an HTTP connection its response reader.
   */
  private pending: Buffer | PartialFrame | EventStream | ResponseReader | null = null;
  /** An event stream's last event id, sent as Last-Event-ID when it reconnects (null: none yet). */
  lastEventId: string | null = null;
  /** permessage-deflate as agreed with the server, or null (none). */
  deflate: DeflateParams | null = null;
  /** What the server's compressor may still refer to, when it keeps its context (else null). */
  private inflateHistory: Buffer | null = null;

  /** Sends one whole message as a single masked frame (text or binary as the context says), compressed when deflate was agreed and it helps. */
  send(payload: Uint8Array | string, opcode: number = this.ctx.text ? Opcode.TEXT : Opcode.BINARY): boolean {
    if (this.state !== WsState.OPEN || !this.socket) return false;
    const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (!this.framed) return this.socket.write(data);
    const packed = this.deflate ? deflateMessage(data, this.deflate.clientMaxWindowBits) : null;
    return this.socket.write(packed ? encodeClientFrame(opcode, packed, this.ctx.mask, true) : encodeClientFrame(opcode, data, this.ctx.mask));
  }

  /** A reply the server asked for (a protocol-level pong): not queued past MAX_QUEUED_PONG_BYTES to a server that does not read. */
  reply(payload: Uint8Array | string): boolean {
    if (this.socket && this.socket.writableLength >= MAX_QUEUED_PONG_BYTES) return false;
    return this.send(payload);
  }

  /** Starts the closing handshake; `cause` is what onClose will report. */
  close(code: number = CloseCode.NORMAL, cause: CloseCause = 'local', detail = ''): void {
    if (!this.socket || this.state >= WsState.CLOSING) return;
    this.setCause(cause, detail);
    if (this.state === WsState.OPEN && this.framed) {
      this.state = WsState.CLOSING;
      this.socket.end(encodeClientFrame(Opcode.CLOSE, closePayload(code), this.ctx.mask));
      // A server that never answers the close must not hold the socket open.
      dropAfter(this.socket, 2000);
    } else {
      this.state = WsState.CLOSING;
      dropSocket(this.socket);
    }
  }

  /**
   * Ends an open connection as RFC 6455 has it: the close frame, then the server's answer and the
   * server's TCP close first, so the TIME_WAIT is the server's and this local address and port can
   * connect to it again at once (a close that sends FIN first would hold the tuple here for a
   * minute). A server that does not answer within 2 s is dropped.
   */
  retire(cause: CloseCause, detail = ''): void {
    if (!this.socket || this.state !== WsState.OPEN) return;
    if (!this.framed) {
      // No closing handshake over HTTP: a reset leaves no TIME_WAIT on this address and port.
      this.close(CloseCode.NORMAL, cause, detail);
      return;
    }
    this.setCause(cause, detail);
    this.state = WsState.CLOSING;
    this.socket.write(encodeClientFrame(Opcode.CLOSE, closePayload(CloseCode.NORMAL), this.ctx.mask));
    dropAfter(this.socket, 2000);
  }

  /** The connection speaks WebSocket frames (not an event stream or plain HTTP). */
  private get framed(): boolean {
    return this.ctx.transport === undefined || this.ctx.transport === 'websocket';
  }

  protected sendUpgrade(): void {
    if (this.ctx.transport === 'http') {
      // Requests go out as soon as the connection is up: nothing to agree first.
      this.opened(new ResponseReader());
      return;
    }
    this.state = WsState.HANDSHAKE;
    const path = this.ctx.pathOf ? this.ctx.pathOf(this) : this.ctx.path;
    this.socket?.write(openingRequest(this.ctx, this.r.target as WsTarget, path, this.r.key as string, this.lastEventId));
  }

  /** The connection is open (its upgrade or event-stream head done): `reader` reads what follows. */
  private opened(reader: EventStream | ResponseReader | null): void {
    this.pending = reader;
    this.phaseEnded('upgrade');
    this.rare = null;
    this.state = WsState.OPEN;
    this.ctx.events.onOpen(this);
  }

  protected handleBytes(buf: Buffer, n: number): void {
    if (this.state === WsState.HANDSHAKE) {
      const data = this.pending instanceof Buffer ? Buffer.concat([this.pending, buf.subarray(0, n)]) : Buffer.from(buf.subarray(0, n));
      if (data[0] === 0x15 && data[1] === 0x03 && !(this.socket instanceof tls.TLSSocket)) {
        this.abort('ws-to-tls-port', 'the server answered with a TLS alert: use wss://');
        return;
      }
      if (this.ctx.transport === 'sse') {
        this.streamHead(data);
        return;
      }
      let response: UpgradeResponse | null;
      try {
        response = checkUpgradeResponse(data, this.r.key as string, this.ctx.subprotocol, this.ctx.deflate);
      } catch (err) {
        const status = (err as HandshakeError).status;
        this.abort('handshake', status ? `HTTP ${status}` : (err as Error).message);
        return;
      }
      if (response === null) {
        this.pending = data;
        return;
      }
      const headerBytes = response.headerBytes;
      this.deflate = response.deflate;
      this.opened(null);
      if (headerBytes < data.length) this.handleFrames(data, headerBytes, data.length, true);
      return;
    }
    if (this.state !== WsState.OPEN && this.state !== WsState.CLOSING) return;
    if (!this.framed) {
      this.readHttp(buf, 0, n);
      return;
    }
    if (this.pending instanceof PartialFrame) {
      // The shared read buffer is overwritten by the next read: the chunk is copied.
      const data = this.pending.push(Buffer.from(buf.subarray(0, n)));
      if (data === null) return;
      this.pending = null;
      this.handleFrames(data, 0, data.length, true);
    } else {
      this.handleFrames(buf, 0, n, false);
    }
  }

  /** The answer to an event stream's GET: the stream opens on a 200 text/event-stream, anything else is refused by name. */
  private streamHead(data: Buffer): void {
    let head: ReturnType<typeof checkStreamResponse>;
    try {
      head = checkStreamResponse(data);
    } catch (err) {
      this.abort('handshake', (err as Error).message);
      return;
    }
    if (head === null) {
      this.pending = data;
      return;
    }
    this.opened(new EventStream(head.chunked, MAX_SSE_LINE, this.ctx.maxPayload));
    if (head.headBytes < data.length) this.readHttp(data, head.headBytes, data.length);
  }

  /** Bytes of an open event stream or HTTP connection; what does not parse or passes a bound drops it (`protocol`). */
  private readHttp(data: Buffer, start: number, end: number): void {
    const reader = this.pending;
    if (this.state !== WsState.OPEN) return;
    try {
      if (reader instanceof EventStream) {
        reader.push(data, start, end, this);
        if (reader.ended) this.abort('closed', 'the server ended the event stream');
      } else if (reader instanceof ResponseReader)
        reader.push(data, start, end, (status) => this.ctx.events.onMessage(this, Opcode.TEXT, Buffer.from(String(status))));
    } catch (err) {
      if (!(err instanceof EventStreamError) && !(err instanceof Error && err.name === 'HandshakeError')) throw err;
      this.abort('protocol', err.message);
    }
  }

  /** @internal One event of the stream: its data is a text message. */
  onEvent(data: Buffer): void {
    if (this.state === WsState.OPEN) this.ctx.events.onMessage(this, Opcode.TEXT, data);
  }

  /** @internal The stream's `retry:`. */
  onRetry(ms: number): void {
    this.ctx.onRetry?.(ms);
  }

  private handleFrames(data: Buffer, start: number, end: number, owned: boolean): void {
    let used: number;
    try {
      used = readServerFrames(data, start, end, this.ctx.maxPayload, this, this.deflate !== null);
    } catch (err) {
      const e = err as WsProtocolError;
      this.close(e.closeCode ?? CloseCode.PROTOCOL_ERROR, 'protocol', e.message);
      return;
    }
    if (start + used < end && this.socket) {
      const rest = data.subarray(start + used, end);
      // The shared read buffer is overwritten by the next read, and a slice of a joined frame would
      // keep the whole join alive: keep a copy of the partial frame alone.
      this.pending = new PartialFrame(owned && rest.length === data.length ? rest : Buffer.from(rest), false);
    }
  }

  /** @internal */ onFrame(fin: boolean, opcode: number, payload: Buffer, compressed: boolean): void {
    if (opcode === Opcode.PING) {
      // A server that pings and never reads gets no more pongs once a MiB is queued to it.
      if (this.state === WsState.OPEN && this.socket && this.socket.writableLength < MAX_QUEUED_PONG_BYTES)
        this.socket.write(encodeClientFrame(Opcode.PONG, payload, this.ctx.mask));
      return;
    }
    if (opcode === Opcode.PONG) return;
    if (opcode === Opcode.CLOSE) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : CloseCode.NORMAL;
      if (this.state === WsState.OPEN) {
        this.setCause('closed', `server closed with ${code}${payload.length > 2 ? ` ${payload.toString('utf8', 2)}` : ''}`);
        this.state = WsState.CLOSING;
        this.socket?.end(encodeClientFrame(Opcode.CLOSE, closePayload(code === 1005 ? 1000 : code), this.ctx.mask));
        // A server that never closes its side must not hold the socket open.
        if (this.socket) dropAfter(this.socket, 2000);
      } else {
        this.socket?.end();
      }
      return;
    }
    if (this.state !== WsState.OPEN) return;
    const fragments = this.rare?.fragments;
    if (opcode === Opcode.CONTINUATION) {
      if (!fragments) throw new WsProtocolError('continuation frame without a message to continue');
      const whole = fragments.add(payload, fin, this.ctx.maxPayload);
      if (whole === null) return;
      this.r.fragments = null;
      this.deliver(fragments.opcode, whole, fragments.compressed);
      return;
    }
    if (fragments) throw new WsProtocolError('new message started before the fragmented one ended');
    if (!fin) {
      this.r.fragments = new FragmentJoin(opcode, compressed, payload);
      return;
    }
    this.deliver(opcode, payload, compressed);
  }

  /** A whole data message to the events, inflated first when it came compressed. */
  private deliver(opcode: number, payload: Buffer, compressed: boolean): void {
    if (!compressed || this.deflate === null) {
      this.ctx.events.onMessage(this, opcode, payload);
      return;
    }
    const d = this.deflate;
    const message = inflateMessage(payload, this.ctx.maxPayload, this.inflateHistory);
    if (!d.serverNoContextTakeover) this.inflateHistory = nextHistory(this.inflateHistory, message, d.serverMaxWindowBits);
    const counts = this.ctx.deflateCounters;
    if (counts) {
      increment(counts, 'deflateWireBytes', payload.length);
      increment(counts, 'deflateMessageBytes', message.length);
    }
    this.ctx.events.onMessage(this, opcode, message);
  }

  protected forget(): void {
    this.pending = null;
    this.deflate = null;
    this.inflateHistory = null;
  }

  protected released(): string {
    // The stream's last event id, sent as Last-Event-ID when it connects again.
    if (this.pending instanceof EventStream && this.pending.lastId !== null) this.lastEventId = this.pending.lastId;
    this.pending = null;
    return this.framed ? 'server ended the connection without a close frame' : 'server ended the connection';
  }
}
