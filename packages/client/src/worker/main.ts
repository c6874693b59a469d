import { LoopDelay, increment, loadProtocol, rssBytes, runWorker, startBeating, systemClock, type ParentLink } from '@mdbench/core/worker';
import { loadWasmHistograms } from '@mdbench/core/stats';
import { parseClientWorkerConfig, type ClientDelta, type ClientWorkerConfig, type CoordinatorToWorker, type WorkerToCoordinator } from '../worker-config.js';
import { SubscriberWorker } from './subscriber-worker.js';
import { SCHEDULE_TICK_MS } from './schedule.js';

/** How often handshakes are swept, keepalives go out and gauges are sent (the ramp says when it ticks). */
const SWEEP_MS = 250;
const KEEPALIVE_MS = 100;
const PROGRESS_MS = 250;
/** How often the open model's due arrivals are started. */
const ARRIVALS_MS = 10;

/** A client worker process: its connections, its timers, and its half of the IPC with the coordinator. */
function start(cfg: ClientWorkerConfig, parent: ParentLink<WorkerToCoordinator>): (msg: CoordinatorToWorker) => void {
  const loop = new LoopDelay();
  let worker: SubscriberWorker | null = null;
  const early: CoordinatorToWorker[] = [];
  const timers: NodeJS.Timeout[] = [];
  // From the start: loading the protocol and the histograms is part of what a stopped loop would stall.
  startBeating((m) => parent.send(m));
  // The coordinator has loaded and checked the protocol already; here it only needs loading again.
  void Promise.all([loadProtocol(cfg.protocol, cfg.protocolOptions, () => ({ file: 'worker', key: 'Protocol' }), '/'), loadWasmHistograms()]).then(
    ([protocol]) => {
      const w = new SubscriberWorker(cfg, protocol, systemClock, true);
      worker = w;
      driveRamp(w);
      if (w.arrivals) timers.push(setInterval(() => w.arrivals?.tick(), ARRIVALS_MS));
      timers.push(setInterval(() => w.ramp.sweep(), SWEEP_MS));
      timers.push(
        setInterval(() => {
          const sent = w.keepalives.tick();
          if (sent > 0) increment(w.sink.counters, 'keepalives', sent);
          if (!w.stopping) w.lives?.endDue();
        }, KEEPALIVE_MS),
      );
      for (const t of timers) t.unref();
      // Gauges for the coordinator's progress line, sent when they change (not at all once the ramp
      // is done and nothing drops: dozens of workers would wake the coordinator for nothing).
      let sent = '';
      setInterval(() => {
        const g = w.gauges();
        const now = JSON.stringify(g);
        if (now === sent) return;
        sent = now;
        parent.send({ type: 'progress', gauges: g });
      }, PROGRESS_MS).unref();
      parent.send({ type: 'ready', rssBytes: rssBytes() ?? 0 });
      for (const m of early.splice(0)) handle(m);
    },
  );

  const delta = (w: SubscriberWorker): ClientDelta => deltaOf(cfg.workerId, w, loop);

  const handle = (msg: CoordinatorToWorker): void => {
    if (!worker) {
      early.push(msg);
      return;
    }
    const w = worker;
    if (msg.type === 'snap') parent.send({ type: 'snap', id: msg.id, delta: delta(w) });
    else if (msg.type === 'talk') startTraffic(w, timers);
    else if (msg.type === 'drop') w.dropAll();
    else if (msg.type === 'quiet') {
      if (w.lives) w.lives.over = true;
      if (w.arrivals) w.arrivals.stopped = true;
      w.publishing?.schedule.stop();
      w.requests?.schedule.stop();
    } else if (msg.type === 'stop') {
      w.stopping = true;
      for (const t of timers) clearInterval(t);
      w.requests?.giveUp();
      // Report first: closing tens of thousands of sockets takes a while on a loaded host, and the
      // final counts must reach the coordinator whatever happens after.
      parent.send({ type: 'stopped', id: msg.id, delta: delta(w) }, () => {
        w.destroyAll();
        process.exit(0);
      });
    }
  };
  return handle;
}

/** What a worker has counted since its last snapshot, with its gauges and memory now (the loop delay restarts). */
function deltaOf(workerId: number, w: SubscriberWorker, loop: LoopDelay): ClientDelta {
  const { errors, refusals } = w.errors.take();
  const d: ClientDelta = {
    workerId,
    ...w.sink.take(errors, { p99Ms: loop.p99Ms(), maxMs: loop.maxMs() }),
    gauges: w.gauges(),
    refusals,
    rssBytes: rssBytes() ?? 0,
    heapUsedBytes: process.memoryUsage().heapUsed,
    requestsWaiting: w.requests?.waiting ?? 0,
  };
  loop.reset();
  return d;
}

/**
 * Ticks the ramp when it asks (often while connecting, every 100 ms when idle), and at once when a
 * slot freed by its own lifetime is waiting to reconnect.
 */
function driveRamp(w: SubscriberWorker): void {
  let next: NodeJS.Timeout | null = null;
  const rampTick = (): void => {
    w.ramp.tick();
    if (!w.stopping) next = setTimeout(rampTick, w.ramp.nextTickMs());
  };
  rampTick();
  let soon = false;
  w.wake = () => {
    if (soon || w.stopping) return;
    soon = true;
    setImmediate(() => {
      soon = false;
      if (next) clearTimeout(next);
      rampTick();
    });
  };
}

/** The connections publish (--publish-rate) and request (--request-rate) from the coordinator's word that the instance is subscribed. */
function startTraffic(w: SubscriberWorker, timers: NodeJS.Timeout[]): void {
  const { publishing, requests } = w;
  if ((!publishing && !requests) || publishing?.schedule.running || requests?.schedule.running || w.stopping) return;
  publishing?.schedule.start(w.conns);
  requests?.schedule.start(w.conns);
  const t = setInterval(() => {
    publishing?.schedule.tick();
    requests?.schedule.tick();
    requests?.expire();
  }, SCHEDULE_TICK_MS);
  t.unref();
  timers.push(t);
}

runWorker(parseClientWorkerConfig, start);
