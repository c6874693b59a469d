// A stand-in client worker for worker-pool tests: says hello, takes its configuration, and answers
// each pull with a delta whose message count is its pull number, after SLOW_MS for worker 0 on the
// first pull.
const empty = { welford: { count: 0, mean: 0, m2: 0, min: 0, max: 0 }, hist: '' };
let cfg = null;
let pulls = 0;
/** This worker's share of the connections (options.clients over the workers). */
const count = () => cfg.options.clients / cfg.workers;
const delta = (n) => ({
  workerId: cfg.workerId,
  latency: empty,
  latencyOther: empty,
  counters: { messages: n },
  errors: {},
  refusals: {},
  firstMessageUs: 0,
  lastMessageUs: 0,
  gauges: {
    open: count(),
    connected: count(),
    subscribed: count(),
    connecting: 0,
    reconnecting: 0,
    planned: count(),
    failed: 0,
    firstConnectMs: 0,
    lastOpenMs: 0,
    lastSubscribedMs: 0,
  },
  loopDelay: { p99Ms: 0, maxMs: 0 },
  rssBytes: 1,
  heapUsedBytes: 1,
});
process.on('message', (m) => {
  if (m.type === 'init') {
    cfg = m.config;
    process.send({ type: 'ready', rssBytes: 1000 });
    return;
  }
  pulls++;
  const reply = { type: m.type === 'stop' ? 'stopped' : 'snap', id: m.id, delta: delta(10 * pulls + cfg.workerId) };
  const wait = cfg.workerId === 0 && pulls === 1 ? Number(process.env.SLOW_MS) : 0;
  setTimeout(() => process.send(reply, () => m.type === 'stop' && process.exit(0)), wait);
});
process.send({ type: 'hello' });
