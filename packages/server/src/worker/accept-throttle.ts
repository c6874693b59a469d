import type { Server, Socket } from 'node:net';

/** First and last wait before accepting again after an accept error (EMFILE, ENFILE, ENOMEM). */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * Keeps a worker within its socket budget: full, it stops accepting (the shared accept socket's
 * other workers take the new connections); below 95% it accepts again. An accept that fails (out of
 * file descriptors: EMFILE, ENFILE) stops accepting too, and accepting resumes after a wait that
 * doubles while errors continue; listening again on a server that still listens is never tried.
 */
export class AcceptThrottle {
  sockets = 0;
  /** Accept errors seen (each pauses accepting). */
  errors = 0;
  private accepting = true;
  private retryMs = RETRY_FIRST_MS;
  private retry: NodeJS.Timeout | null = null;
  private readonly server: Server;
  private readonly max: number;
  private readonly listen: () => void;

  /** `listen` must use the same address and port as the first listen: the cluster keys the shared socket by them. */
  constructor(server: Server, max: number, listen: () => void) {
    this.server = server;
    this.max = max;
    this.listen = listen;
    const onClose = () => {
      this.sockets--;
      if (!this.accepting && this.retry === null && this.sockets < this.max * 0.95) this.resume();
    };
    server.on('connection', (s: Socket) => {
      this.sockets++;
      this.retryMs = RETRY_FIRST_MS;
      // `on`, not `once`: close comes once, and `once` would wrap the listener in a closure per socket.
      s.on('close', onClose);
      if (this.accepting && this.sockets >= this.max) this.stop();
    });
  }

  private stop(): void {
    this.accepting = false;
    if (this.server.listening) this.server.close();
  }

  private resume(): void {
    this.retry = null;
    if (this.sockets >= this.max) return;
    this.accepting = true;
    if (!this.server.listening) this.listen();
  }

  /** Accepting failed (`code`), or listening again did: stop, and try again after a backoff. */
  pause(_code: string): void {
    this.errors++;
    this.stop();
    if (this.retry !== null) return;
    this.retry = setTimeout(() => this.resume(), this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }
}
