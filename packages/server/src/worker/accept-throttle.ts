import type { Server, Socket } from 'node:net';

/** First and last wait before accepting again after an accept error (EMFILE, ENFILE, ENOMEM). */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * Keeps a worker within its socket budget and its turn: it listens only while it has the turn (the
 * primary's AcceptTurns; every worker has one until the primary says otherwise) and room. Full, it
 * stops accepting (the shared accept socket's other workers take the new connections) and says so
 * (`onFull`); below 95% it says it has room (`onRoom`) and accepts again once it has the turn. An
 * accept that fails (out of file descriptors: EMFILE, ENFILE) stops accepting too, and accepting
 * resumes after a wait that doubles while errors continue; listening again on a server that still
 * listens is never tried.
 */
export class AcceptThrottle {
  sockets = 0;
  /** Accept errors seen (each pauses accepting). */
  errors = 0;
  private full = false;
  private turn = true;
  private retryMs = RETRY_FIRST_MS;
  private retry: NodeJS.Timeout | null = null;
  private readonly server: Server;
  private readonly max: number;
  private readonly listen: () => void;
  private readonly hooks: { onFull(): void; onRoom(): void };

  /** `listen` must use the same address and port as the first listen: the cluster keys the shared socket by them. */
  constructor(server: Server, max: number, listen: () => void, hooks: { onFull(): void; onRoom(): void } = { onFull() {}, onRoom() {} }) {
    this.server = server;
    this.max = max;
    this.listen = listen;
    this.hooks = hooks;
    const onClose = () => {
      this.sockets--;
      if (this.full && this.sockets < this.max * 0.95) {
        this.full = false;
        this.hooks.onRoom();
        this.resume();
      }
    };
    server.on('connection', (s: Socket) => {
      this.sockets++;
      this.retryMs = RETRY_FIRST_MS;
      // `on`, not `once`: close comes once, and `once` would wrap the listener in a closure per socket.
      s.on('close', onClose);
      if (!this.full && this.sockets >= this.max) {
        this.full = true;
        this.stop();
        this.hooks.onFull();
      }
    });
  }

  /** The primary gives this worker the turn to accept (true) or takes it back (false). */
  setTurn(on: boolean): void {
    this.turn = on;
    if (on) this.resume();
    else this.stop();
  }

  private stop(): void {
    if (this.server.listening) this.server.close();
  }

  /** Listening again unless a retry is pending, the worker is full (set at `max`, so never short of it while not full) or it lacks the turn. */
  private resume(): void {
    if (this.retry !== null || this.full || !this.turn) return;
    if (!this.server.listening) this.listen();
  }

  /** Accepting failed (`code`), or listening again did: stop, and try again after a backoff. */
  pause(_code: string): void {
    this.errors++;
    this.stop();
    if (this.retry !== null) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.resume();
    }, this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }
}
