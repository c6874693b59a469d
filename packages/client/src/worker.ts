import {
  AddressPlan,
  DelayQueue,
  TokenBucket,
  backoffDelayMs,
  LatencyStats,
  LoopDelay,
  NativeProtocol,
  Opcode,
  SubjectPlan,
  WsState,
  compilePatternList,
  epochUs,
  increment,
  newIntegrity,
  rssBytes,
  takeCounters,
  type Counters,
  type InboundSink,
  type MessageFields,
  type WsClientContext,
} from '@mdbench/core';
import { SubscriberConnection } from './subscriber-connection.js';
import { CLIENT_WORKER_ENV, type ClientDelta, type ClientWorkerConfig, type CoordinatorToWorker, type WorkerToCoordinator } from './worker-protocol.js';

const cfg = JSON.parse(process.env[CLIENT_WORKER_ENV] ?? '{}') as ClientWorkerConfig;
const protocol = new NativeProtocol();
const plan = new AddressPlan({ localAddresses: cfg.localAddresses, ports: cfg.localPorts, excludePorts: cfg.excludePorts, clients: cfg.instanceClients });
const subjectPlan = new SubjectPlan({ subjects: compilePatternList(cfg.subjects), perClient: cfg.subjectsPerClient, oneToOne: cfg.oneToOne, seed: cfg.seed });
const fromScheduled = cfg.latencyFrom === 'scheduled';

const latency = new LatencyStats();
const latencyOther = new LatencyStats();
const counters: Counters = { messages: 0, bytes: 0 };
const integrity = newIntegrity();
const errors: Counters = {};
const loop = new LoopDelay();

/** Epoch ms of the first connect attempt and of the latest subscription acknowledged (the ramp's span). */
let firstConnectMs = 0;
let lastSubscribedMs = 0;
let lastOpenMs = 0;
let open = 0;
let subscribed = 0;
let failed = 0;
const pending = new Set<SubscriberConnection>();
let current: SubscriberConnection;

const sink: InboundSink = {
  onMessage(m: MessageFields): void {
    const now = epochUs();
    const fromSched = now - m.scheduledUs;
    const fromSent = now - m.sentUs;
    latency.record(fromScheduled ? fromSched : fromSent);
    latencyOther.record(fromScheduled ? fromSent : fromSched);
    counters.messages++;
    counters.bytes += m.payloadBytes;
    if (!current.hasSubject(m.subject)) increment(counters, 'unexpectedSubject');
    current.observe(m.publisherId, m.subject, m.seq, integrity);
  },
  onSubscribed(): void {
    if (!current.subscribed) {
      current.subscribed = true;
      subscribed++;
      lastSubscribedMs = Date.now();
    }
  },
  onTimeResponse(): void {},
  onServerError(code: number): void {
    increment(counters, 'serverErrors');
    increment(errors, `server error ${code}`);
  },
  onMalformed(): void {
    increment(counters, 'malformed');
  },
};

const ctx: WsClientContext<SubscriberConnection> = {
  readBuffer: Buffer.allocUnsafe(cfg.bufferSize),
  maxPayload: 16 * 1024 * 1024,
  mask: cfg.mask,
  path: cfg.servers[0].path,
  subprotocol: protocol.subprotocol,
  headers: cfg.token ? { Authorization: `Bearer ${cfg.token}` } : undefined,
  events: {
    onOpen(conn) {
      pending.delete(conn);
      open++;
      lastOpenMs = Date.now();
      if (conn.downSinceMs > 0) {
        increment(counters, 'reconnects');
        increment(counters, 'downMs', Math.round(performance.now() - conn.downSinceMs));
        conn.downSinceMs = 0;
      }
      conn.attempt = 0;
      conn.everOpened = true;
      const list = conn.subjects;
      conn.send(protocol.encodeSubscribe(typeof list === 'string' ? [list] : list));
    },
    onMessage(conn, opcode, payload) {
      if (opcode !== Opcode.BINARY) {
        increment(counters, 'malformed');
        return;
      }
      current = conn;
      protocol.decode(payload, sink);
    },
    onClose(conn, cause) {
      const wasOpen = !pending.delete(conn);
      if (wasOpen) {
        open--;
        increment(counters, 'disconnects');
        conn.downSinceMs = performance.now();
      }
      if (conn.subscribed) subscribed--;
      conn.subscribed = false;
      if (cause === 'local') return;
      increment(errors, cause);
      if (stopping) return;
      if (cfg.reconnect) scheduleRetry(conn);
      else failed++;
    },
  },
};

const conns: SubscriberConnection[] = [];
let nextToOpen = 0;
const perWorkerPending = Math.max(1, cfg.maxPending);
const bucket = new TokenBucket(cfg.connectRate, Math.max(1, cfg.connectRate / 20), performance.now());
/** Dropped connections waiting out their backoff before they reconnect. */
const retries = new DelayQueue<SubscriberConnection>();
const backoff = { baseMs: cfg.reconnectMinMs, maxMs: cfg.reconnectMaxMs };

function newConnection(k: number): SubscriberConnection {
  const index = cfg.from + k;
  const conn = new SubscriberConnection(ctx, index);
  const subjects = subjectPlan.subjectsOf(index);
  conn.subjects = subjects.length === 1 ? subjects[0] : subjects;
  conns.push(conn);
  return conn;
}

/** (Re)opens a connection from its planned local address and port. */
function openConnection(conn: SubscriberConnection): void {
  if (firstConnectMs === 0) firstConnectMs = Date.now();
  const local = conn.index - cfg.instanceFrom;
  const server = cfg.servers[local % cfg.servers.length];
  pending.add(conn);
  conn.open({ host: server.host, port: server.port, localAddress: plan.addressOf(local), localPort: plan.portOf(local) }, performance.now());
}

/** Schedules a reconnect after a backoff that grows with each failed attempt. */
function scheduleRetry(conn: SubscriberConnection): void {
  conn.attempt++;
  retries.add(conn, performance.now() + backoffDelayMs(conn.attempt - 1, backoff));
}

// Opens new connections and due reconnects, within the connect rate and the handshakes in flight.
const ramp = setInterval(() => {
  const now = performance.now();
  const room = perWorkerPending - pending.size;
  if (room <= 0) return;
  const due = retries.size > 0 ? retries.takeDue(now, room) : [];
  let budget = bucket.take(due.length + Math.min(room - due.length, cfg.count - nextToOpen), now);
  for (const c of due) {
    if (budget > 0) {
      budget--;
      openConnection(c);
    } else retries.add(c, now);
  }
  while (budget-- > 0 && nextToOpen < cfg.count) openConnection(newConnection(nextToOpen++));
}, 5);

const sweep = setInterval(() => {
  const deadline = performance.now() - cfg.handshakeTimeoutMs;
  for (const c of pending) if (c.state < WsState.OPEN && c.startedMs < deadline) c.abort('ETIMEDOUT', 'handshake timed out');
}, 250);
sweep.unref();

let stopping = false;

function gauges(): ClientDelta['gauges'] {
  return { open, subscribed, connecting: pending.size, reconnecting: retries.size, planned: cfg.count, failed, firstConnectMs, lastOpenMs, lastSubscribedMs };
}

function delta(): ClientDelta {
  const d: ClientDelta = {
    workerId: cfg.workerId,
    latency: latency.toWire(),
    latencyOther: latencyOther.toWire(),
    counters: { ...takeCounters(counters), gaps: integrity.gaps, duplicates: integrity.duplicates, outOfOrder: integrity.outOfOrder },
    errors: takeCounters(errors),
    gauges: gauges(),
    loopDelay: { p99Ms: loop.p99Ms(), maxMs: loop.maxMs() },
    rssBytes: rssBytes() ?? 0,
    heapUsedBytes: process.memoryUsage().heapUsed,
  };
  counters.messages = 0;
  counters.bytes = 0;
  integrity.gaps = integrity.duplicates = integrity.outOfOrder = 0;
  latency.reset();
  latencyOther.reset();
  loop.reset();
  return d;
}

const send = (msg: WorkerToCoordinator, done?: () => void) => process.send?.(msg, undefined, {}, () => done?.());

process.on('message', (msg: CoordinatorToWorker) => {
  if (msg.type === 'snap') send({ type: 'snap', id: msg.id, delta: delta() });
  else if (msg.type === 'stop') {
    stopping = true;
    clearInterval(ramp);
    // Report first: closing tens of thousands of sockets takes a while on a loaded host, and the
    // final counts must reach the coordinator whatever happens after.
    send({ type: 'stopped', id: msg.id, delta: delta() }, () => {
      for (const c of conns) if (c.socket) c.socket.destroy();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the coordinator decides when a worker stops, so that its
// last counts are collected first. Without a coordinator (disconnect) a worker exits by itself.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
send({ type: 'ready', rssBytes: rssBytes() ?? 0 });
setInterval(() => send({ type: 'progress', gauges: gauges() }), 250).unref();
