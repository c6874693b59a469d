import http from 'node:http';
import type { SourceLocation } from '../errors.js';
import { escapeHtml } from '../report/format.js';
import { bearerMatches } from '../ws/bearer.js';
import { DASHBOARD_PAGE } from './dashboard-page.js';
import { listenHttp } from '../prometheus/endpoint.js';
import { listenAddressOf } from '../prometheus/serve-metrics.js';

/** One interval as the dashboard draws it. */
export interface DashboardPoint {
  /** End of the interval, epoch ms. */
  t: number;
  /** Latency of the interval, ms (null without messages). */
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Messages per second received in the interval. */
  rate: number;
  open: number;
  subscribed: number;
  planned: number;
  /** Connection errors, lost messages in the interval. */
  errors: number;
  gaps: number;
  /** The thresholds judged on the run so far. */
  thresholds: { threshold: string; passed: boolean; text: string }[];
}

/** Points kept for a page opened late: an hour of 1 s intervals. */
const HISTORY = 3600;
/** Pages open at once; one more is refused (503) rather than held. */
const MAX_STREAMS = 16;
/** What a page that does not read may have waiting before it is dropped (it reconnects and gets the history again). */
const MAX_UNREAD_BYTES = 1 << 20;
/** The history a new page gets at once, in bytes: the latest points that fit. */
const MAX_HISTORY_BYTES = 256 << 10;

/**
 * `--dashboard HOST:PORT`: a live page of the run (the latency, rate and connections charts, the
 * thresholds' state) updated at every interval over server-sent events. The page is one
 * self-contained document: nothing is fetched from the network. With a token set, the page and its
 * events ask for it, as `?token=` (a browser cannot send a header when it opens a page).
 */
export class Dashboard {
  private readonly server: http.Server;
  private readonly streams = new Set<http.ServerResponse>();
  private readonly history: DashboardPoint[] = [];
  private readonly title: string;
  port = 0;
  private host = '';

  constructor(title: string, token?: string) {
    this.title = title;
    this.server = http.createServer((req, res) => {
      // Nothing a request says may end the run: a request that cannot be answered is a 400.
      try {
        this.answer(req, res, token);
      } catch {
        if (!res.headersSent) res.writeHead(400).end();
        else res.destroy();
      }
    });
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, token: string | undefined): void {
    // The path and the query taken apart by hand: `new URL` throws on a request target such as `//`.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
    if (token && !bearerMatches(req.headers.authorization, token) && !bearerMatches(`Bearer ${query.get('token') ?? ''}`, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end("this dashboard asks for the run's token: add ?token=TOKEN to the address\n");
      return;
    }
    if (pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(DASHBOARD_PAGE.replaceAll('__TITLE__', escapeHtml(this.title)));
    } else if (pathname === '/events') {
      if (this.streams.size >= MAX_STREAMS) {
        res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '5' }).end(`this dashboard serves ${MAX_STREAMS} pages at once\n`);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(`retry: 2000\n\n${recentFrames(this.history)}`);
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
    } else res.writeHead(404).end();
  }

  async listen(host: string, port: number, where?: SourceLocation): Promise<void> {
    this.port = await listenHttp(this.server, host, port, 'dashboard', where);
    this.host = host;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}/`;
  }

  /** One interval more: kept for pages opened later and sent to every page open now. */
  publish(p: DashboardPoint): void {
    // A point for an interval already published (a corrected merge) replaces it; pages replace theirs too.
    let at = this.history.length - 1;
    while (at >= 0 && this.history[at].t !== p.t) at--;
    if (at >= 0) this.history[at] = p;
    else this.history.push(p);
    if (this.history.length > HISTORY) this.history.shift();
    const f = frame(p);
    for (const s of this.streams) {
      // A page that stopped reading is dropped before what waits for it grows past a bound.
      if (s.writableLength > MAX_UNREAD_BYTES) {
        this.streams.delete(s);
        s.destroy();
      } else s.write(f);
    }
  }

  close(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
    this.server.close();
    this.server.closeAllConnections();
  }
}

function frame(p: DashboardPoint): string {
  return `data: ${JSON.stringify(p)}\n\n`;
}

/** The latest points of the history that fit in MAX_HISTORY_BYTES, oldest first. */
function recentFrames(history: readonly DashboardPoint[]): string {
  const frames: string[] = [];
  let bytes = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const f = frame(history[i]);
    if ((bytes += f.length) > MAX_HISTORY_BYTES) break;
    frames.push(f);
  }
  return frames.reverse().join('');
}

/** Starts the dashboard `--dashboard` asks for (none without it); a malformed address is exit 2, a port that cannot be opened exit 3. */
export async function serveDashboard(listen: string | undefined, title: string, token: string | undefined, where: SourceLocation): Promise<Dashboard | null> {
  if (!listen) return null;
  const at = listenAddressOf(listen, where);
  const d = new Dashboard(title, token);
  await d.listen(at.host, at.port, where);
  return d;
}
