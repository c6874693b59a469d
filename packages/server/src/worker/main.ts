import net from 'node:net';
import tls from 'node:tls';
import { NATIVE_SUBPROTOCOL, runWorker, systemClock, type ParentLink } from '@mdbench/core/worker';
import { HubLink } from '../hub/hub-link.js';
import {
  STATS_MS,
  emptyWorkerStats,
  parseServerWorkerConfig,
  type PrimaryToWorker,
  type ServerWorkerConfig,
  type WorkerStats,
  type WorkerToPrimary,
} from '../worker-config.js';
import { AcceptThrottle } from './accept-throttle.js';
import { NativeHandler } from './native-handler.js';
import type { Peer } from './peer.js';
import { UPGRADE_TIMEOUT_MS } from './peer-deadlines.js';
import { Peers } from './peers.js';
import { RateCap } from './rate-cap.js';
import { HttpEndpoints } from './http-endpoints.js';
import { ReplayWindow } from './replay-window.js';
import { Router, type Packed } from './router.js';
import { warmHotPath } from './warm-up.js';

/** How often a worker sends its counters to the primary. */

/** The message path of a worker: peers (WebSocket) -> native handler -> router (local subscribers) and hub (other workers). */
function pipeline(
  cfg: ServerWorkerConfig,
  stats: WorkerStats,
  fatal: (code: string, message: string) => void,
): { router: Router<Peer>; cap: RateCap | null; peers: Peers } {
  let hub: HubLink | null = null;
  const router = new Router<Peer>(
    { bufferLimitSend: cfg.options.bufferLimitSend, slowConsumer: cfg.options.slowConsumer, interest: (add, s) => hub?.interest(add, s), later: setImmediate },
    stats,
  );
  if (cfg.hubPath)
    hub = new HubLink(
      cfg.hubPath,
      cfg.workerId,
      (m, s) => router.deliver(m, s),
      (err) => fatal('MDB_HUB', `hub link failed: ${err.message}`),
    );
  const forward = (message: Buffer, subject: string, packed: Packed | null = null) => {
    router.deliver(message, subject, packed);
    hub?.publish(message, subject);
  };
  const cap = cfg.options.testMaxRate > 0 ? new RateCap(cfg.options.testMaxRate, systemClock, forward) : null;
  // TEST ONLY: a message held --test-hold-ms before it goes on (copied: the read buffer is reused).
  const held = (m: Buffer, s: string) => setTimeout(forward, cfg.options.testHoldMs, Buffer.from(m), s);
  const handler = new NativeHandler({
    router,
    stats,
    clock: systemClock,
    publish: cap ? (m, s) => cap.push(m, s) : cfg.options.testHoldMs > 0 ? held : forward,
    maxSubjects: cfg.options.maxSubjects,
    testDropEvery: cfg.options.testDropEvery,
    testClockOffsetUs: cfg.options.testClockOffsetMs * 1000,
  });
  const peers = new Peers(
    { subprotocols: [NATIVE_SUBPROTOCOL], token: cfg.options.token, deflate: cfg.options.compression === 'deflate' },
    cfg.options.bufferLimitReceive,
    handler,
    stats,
    { maxQueuedBytes: cfg.options.bufferLimitSend, policy: cfg.options.slowConsumer },
    systemClock.monotonicMs,
  );
  handler.peers = peers;
  // Event streams resume from the last 8 MiB (30 s at most) of messages this worker delivered.
  const replay = new ReplayWindow(8 * 1024 * 1024, 30_000, systemClock.monotonicMs);
  router.replay = replay;
  peers.http = new HttpEndpoints(peers, replay, stats, cfg.options.token, cfg.options.bufferLimitReceive);
  return { router, cap, peers };
}

/** A server worker: accepts on the shared socket, speaks WebSocket and the native protocol, fans out. */
function start(cfg: ServerWorkerConfig, parent: ParentLink<WorkerToPrimary>): (msg: PrimaryToWorker) => void {
  const stats: WorkerStats = emptyWorkerStats();
  const fatal = (code: string, message: string) => parent.send({ type: 'fatal', code, message });
  const { router, cap, peers } = pipeline(cfg, stats, fatal);
  setInterval(() => peers.deadlines.sweep(), 1000).unref();

  const server = cfg.tls ? tlsServer(cfg.tls, peers, stats) : net.createServer({ noDelay: true });
  const listen = () => server.listen({ host: cfg.host, port: cfg.port, backlog: 65535 });
  const throttle = new AcceptThrottle(server, cfg.maxSockets, listen, {
    onFull: () => parent.send({ type: 'full' }),
    onRoom: () => parent.send({ type: 'room' }),
  });
  if (!cfg.tls) server.on('connection', (s) => peers.accept(s));
  let listened = false;
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (!listened) fatal(err.code ?? 'MDB_LISTEN', `cannot listen on ${cfg.host}:${cfg.port}: ${err.code ?? err.message}`);
    else throttle.pause(err.code ?? 'error');
  });
  const flushStats = (done?: () => void) => {
    stats.connections = peers.open.size;
    stats.subscriptions = router.subs.size;
    stats.subjects = router.subs.subjects;
    stats.queued = cap?.queued ?? 0;
    const mem = process.memoryUsage();
    stats.rssBytes = mem.rss;
    stats.heapUsedBytes = mem.heapUsed;
    parent.send({ type: 'stats', stats: { ...stats } }, done);
    stats.messagesIn = stats.messagesOut = stats.requests = stats.bytesOut = 0;
    stats.slowDrops = stats.slowDisconnects = stats.malformed = stats.oversized = stats.rejected = stats.badUpgrades = stats.testDropped = 0;
  };
  // Counters are reported from the moment the worker listens: nothing of its warm-up reaches the primary.
  const listenNow = () => {
    setInterval(flushStats, STATS_MS).unref();
    server.listen({ host: cfg.host, port: cfg.port, backlog: 65535 }, () => {
      listened = true;
      parent.send({ type: 'listening', port: (server.address() as net.AddressInfo).port });
      // The primary knows the worker from the start, not a second later.
      flushStats();
    });
  };
  // The hot path optimised before the first client (test hooks that drop or hold messages: not warmed).
  if (cfg.options.testDropEvery > 0 || cfg.options.testMaxRate > 0 || cfg.options.testHoldMs > 0) listenNow();
  else {
    warmHotPath(peers, { subject: `/mdbench/warm-up/${cfg.workerId}`, token: cfg.options.token })
      .catch(() => {})
      .finally(() => {
        Object.assign(stats, emptyWorkerStats());
        listenNow();
      });
  }

  return (msg) => {
    if (msg.type === 'accept') throttle.setTurn(msg.on);
    else if (msg.type === 'connections') {
      // Read on request only: a getpeername per connection at accept time costs every ramp.
      parent.send({ type: 'connections', id: msg.id, peers: [...peers.open].map((p) => `${p.remoteAddress}:${p.remotePort}`) });
    } else if (msg.type === 'shutdown') {
      // Report the last partial second before leaving, so the primary's summary loses nothing.
      flushStats(() => {
        for (const p of peers.open) p.destroy();
        process.exit(0);
      });
    }
  };
}

/**
 * The TLS listener: a peer is handed over once its handshake is done; a handshake that fails (no
 * or a wrong client certificate, a plaintext request, a timeout) counts as a bad upgrade. One
 * secure context serves every connection.
 */
function tlsServer(t: { cert: string; key: string; ca?: string; ticketKeys: string }, peers: Peers, stats: WorkerStats): net.Server {
  const server = tls.createServer({
    cert: t.cert,
    key: t.key,
    ca: t.ca,
    requestCert: t.ca !== undefined,
    rejectUnauthorized: t.ca !== undefined,
    handshakeTimeout: UPGRADE_TIMEOUT_MS,
    ticketKeys: Buffer.from(t.ticketKeys, 'base64'),
  });
  server.on('secureConnection', (s) => peers.accept(s));
  server.on('tlsClientError', (_err, s) => {
    stats.badUpgrades++;
    s.destroy();
  });
  return server;
}

runWorker(parseServerWorkerConfig, start);
