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
      const url = new URL(req.url ?? '/', 'http://dashboard');
      if (token && !bearerMatches(req.headers.authorization, token) && !bearerMatches(`Bearer ${url.searchParams.get('token') ?? ''}`, token)) {
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end("this dashboard asks for the run's token: add ?token=TOKEN to the address\n");
        return;
      }
      if (url.pathname === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(DASHBOARD_PAGE.replace('__TITLE__', escapeHtml(this.title)));
      } else if (url.pathname === '/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(`retry: 2000\n\n`);
        for (const p of this.history) res.write(frame(p));
        this.streams.add(res);
        req.on('close', () => this.streams.delete(res));
      } else res.writeHead(404).end();
    });
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
    this.history.push(p);
    if (this.history.length > HISTORY) this.history.shift();
    const f = frame(p);
    for (const s of this.streams) s.write(f);
  }

  close(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
    this.server.close();
  }
}

function frame(p: DashboardPoint): string {
  return `data: ${JSON.stringify(p)}\n\n`;
}

/** Starts the dashboard `--dashboard` asks for (none without it); a malformed address is exit 2, a port that cannot be opened exit 3. */
export async function serveDashboard(listen: string | undefined, title: string, token: string | undefined, where: SourceLocation): Promise<Dashboard | null> {
  if (!listen) return null;
  const at = listenAddressOf(listen, where);
  const d = new Dashboard(title, token);
  await d.listen(at.host, at.port, where);
  return d;
}
