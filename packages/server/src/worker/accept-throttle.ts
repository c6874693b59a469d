import type { Server, Socket } from 'node:net';

/**
 * Keeps a worker within its socket budget: full, it stops accepting (the shared accept socket's
 * other workers take the new connections); below 95% it accepts again. A listen that fails while
 * resuming is retried a second later.
 */
export class AcceptThrottle {
  sockets = 0;
  private accepting = true;
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
      if (!this.accepting && this.sockets < this.max * 0.95) this.resume();
    };
    server.on('connection', (s: Socket) => {
      this.sockets++;
      // `on`, not `once`: close comes once, and `once` would wrap the listener in a closure per socket.
      s.on('close', onClose);
      if (this.accepting && this.sockets >= this.max) {
        this.accepting = false;
        this.server.close();
      }
    });
  }

  private resume(): void {
    this.accepting = true;
    this.listen();
  }

  /** Resuming failed: try again in a second. */
  retryLater(): void {
    this.accepting = false;
    setTimeout(() => this.resume(), 1000).unref();
  }
}
