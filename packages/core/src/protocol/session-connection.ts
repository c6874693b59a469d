import type { WsClientContext } from '../ws/client-context.js';
import { WsClientConnection } from '../ws/client-connection.js';
import type { Carry } from './carry.js';
import type { Role, Session } from './protocol.js';
import type { Stamp } from './stamp.js';

/**
 * A client connection carrying a protocol session: the session state a protocol keeps (`phase`,
 * `carry`, `data`), its reset on every new WebSocket, and what a refusal or a drop does to the
 * connection. The subscriber's and the publisher's connections extend it with what each counts;
 * the calls a role does not expect (a publisher receiving a message) do nothing by default.
 */
export abstract class SessionConnection extends WsClientConnection implements Session {
  readonly index: number;
  phase = 0;
  carry: Buffer | Carry | null = null;
  data: unknown = undefined;

  constructor(ctx: WsClientContext<WsClientConnection>, index: number) {
    super(ctx);
    this.index = index;
  }

  abstract get role(): Role;
  abstract get clientId(): string;
  abstract get topics(): readonly string[];

  /** A fresh protocol session on a WebSocket that has just opened. */
  resetSession(): void {
    this.phase = 0;
    this.carry = null;
    this.data = undefined;
  }

  connected(): void {}
  subscribed(): void {}
  message(_topic: string, _payload: Buffer): void {}
  stamped(_topic: string, _stamp: Stamp, _payloadBytes: number): void {}
  acked(): void {}
  answered(_id: number): void {}
  request(_replyTo: string, _payload: Buffer): void {}
  error(_cause: string, _detail = ''): void {}
  malformed(_detail: string): void {}

  /** The server refused the login or a subscription: counted by the role, then the connection is closed normally. */
  refuse(cause: string, detail = ''): void {
    this.refused(cause, detail);
    this.close(1000, cause, detail);
  }

  /** The session cannot go on: the connection is closed as a protocol error (it reconnects as any dropped one). */
  drop(cause: string, detail = ''): void {
    this.close(1002, cause, detail);
  }

  /** What the role counts for a refusal. */
  protected abstract refused(cause: string, detail: string): void;
}
