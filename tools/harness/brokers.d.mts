export interface Broker {
  readonly name: string;
  readonly wsPort: number;
  /** The WebSocket address to give ServerAddresses. */
  readonly url: string;
  /** The plain (TCP) port, for official clients that use it (nats-server, Mosquitto). */
  readonly tcpPort?: number;
  readonly pid: number | undefined;
  log: string;
  start(readyPort?: number, timeoutMs?: number): Promise<Broker>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}
export function startNats(options?: { wsPort?: number; user?: string; password?: string; tls?: { cert: string; key: string } }): Promise<Broker>;
export function startMosquitto(options?: { wsPort?: number; user?: string; password?: string; tls?: { cert: string; key: string } }): Promise<Broker>;
export function startRabbit(options?: { wsPort?: number }): Promise<Broker>;
export function startExample(name: 'socketio-server' | 'graphql-server', o?: { wsPort?: number; args?: string[] }): Promise<Broker>;
export interface Prometheus extends Broker {
  /** An instant query through the HTTP API: the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}
export function startPrometheus(jobs: Record<string, string[]>, o?: { token?: string }): Promise<Prometheus>;
/** nginx with Nchan: `GET /sub/CHANNEL` (EventSource, WebSocket), `POST /pub/CHANNEL`; `url` is http://127.0.0.1:PORT. */
export function startNchan(options?: { wsPort?: number }): Promise<Broker & { dir: string }>;
/** mdbench-server as a broker (killed and started again on the same port); `url` is 127.0.0.1:PORT. */
export function startMdbench(options?: { wsPort?: number; args?: string[] }): Promise<Broker>;
