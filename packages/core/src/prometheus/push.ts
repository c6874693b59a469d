import { MdbenchError, type SourceLocation } from '../errors.js';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.js';

/** How long one push may take before it is abandoned (the run does not wait on a slow gateway). */
const PUSH_TIMEOUT_MS = 5000;

/**
 * The group URL a run pushes to: `--metrics-push` as given when it already names a group
 * (`.../metrics/job/NAME...`), else `BASE/metrics/job/TOOL/instance/N`. Not an http(s) URL: exit 2.
 */
export function pushGroupUrl(base: string, tool: string, instance: number, where: SourceLocation | undefined): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MdbenchError('MDB_CONFIG_VALUE', `"${base}" is not an http:// or https:// URL of a Prometheus Pushgateway (as in http://127.0.0.1:9091)`, {
      location: where,
    });
  }
  if (/\/metrics\/job\/[^/]+/.test(url.pathname)) return url.href;
  return `${url.href.replace(/\/+$/, '')}/metrics/job/${encodeURIComponent(tool)}/instance/${instance}`;
}

/**
 * --metrics-push: the same text `/metrics` serves, PUT to a Prometheus Pushgateway at every interval
 * and once more at the end (for short runs, Jobs in CI, that Prometheus cannot scrape in time). A
 * push that fails is said once per cause and the run goes on: the load test is not stopped by its
 * monitoring. Pushes never overlap (one still going is not started again).
 */
export class MetricsPusher {
  private readonly url: string;
  private readonly body: () => string;
  private readonly warn: (message: string) => void;
  private inFlight: Promise<void> | null = null;
  private readonly said = new Set<string>();

  constructor(url: string, body: () => string, warn: (message: string) => void) {
    this.url = url;
    this.body = body;
    this.warn = warn;
  }

  /** Pushes now unless a push is still going. */
  push(): void {
    if (this.inFlight) return;
    this.inFlight = this.send().finally(() => (this.inFlight = null));
  }

  /** The last push, waited for (after the one going, if any). */
  async final(): Promise<void> {
    await this.inFlight;
    await this.send();
  }

  private async send(): Promise<void> {
    try {
      const res = await fetch(this.url, {
        method: 'PUT',
        headers: { 'content-type': PROMETHEUS_CONTENT_TYPE },
        body: this.body(),
        signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${(await res.text()).trim().slice(0, 160)}`);
      await res.body?.cancel().catch(() => {});
    } catch (err) {
      const cause = (err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      if (!this.said.has(cause)) {
        this.said.add(cause);
        this.warn(`metrics push to ${this.url} failed: ${cause} (the run goes on; said once per cause)`);
      }
    }
  }
}
