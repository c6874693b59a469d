import http from 'node:http';
import { MdbenchError, type SourceLocation } from '../errors.js';
import { bearerMatches } from '../ws/bearer.js';

/** A route of an endpoint: a path and what it answers (JSON, or text with its content type). */
export interface Route {
  path: string;
  contentType: string;
  body(): Promise<string> | string;
}

/**
 * A small HTTP endpoint (loopback by default) answering a fixed set of routes: the server's monitor
 * (`/stats`, `/connections`, `/metrics`) and the client's and publisher's `/metrics`. Anything else is
 * 404; with a token set, every route asks for it (`Authorization: Bearer TOKEN`, 401 without it).
 */
export class HttpEndpoint {
  private readonly server: http.Server;
  port = 0;
  private host = '';

  constructor(routes: readonly Route[], token?: string) {
    this.server = http.createServer((req, res) => {
      const route = routes.find((r) => r.path === (req.url ?? '').split('?')[0]);
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
        return;
      }
      Promise.resolve(route.body()).then(
        (body) => res.writeHead(200, { 'Content-Type': route.contentType }).end(body),
        (err: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${err.message}\n`),
      );
    });
  }

  async listen(host: string, port: number, what: string, where?: SourceLocation): Promise<void> {
    this.port = await listenHttp(this.server, host, port, what, where);
    this.host = host;
  }

  /** `http://host:port`, once listening. */
  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
}

/** Listens and resolves with the port; a port that cannot be opened is one line (MDB_LISTEN) naming `where` the address came from. */
export function listenHttp(server: http.Server, host: string, port: number, what: string, where?: SourceLocation): Promise<number> {
  return new Promise((resolve, reject) => {
    let listening = false;
    // `on`, not `once`: an error after the start (an accept failing for want of descriptors)
    // must not reach the process as an uncaught exception.
    server.on('error', (err: NodeJS.ErrnoException) => {
      if (!listening) reject(new MdbenchError('MDB_LISTEN', `cannot start the ${what} on ${host}:${port}: ${err.code ?? err.message}`, { location: where }));
    });
    server.listen(port, host, () => {
      listening = true;
      resolve((server.address() as { port: number }).port);
    });
  });
}
