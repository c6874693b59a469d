import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Broker } from '../../tools/harness/brokers.mjs';
import { Proc, jsonLines, sleep, summaryOf } from '../../tools/harness/processes.mjs';

// mdbench-client and mdbench-publisher against a real server: 2,000 subscribers over two local
// aliases with explicit ports, a publisher at 2,000 msg/s (or the case's rate: well under what the
// server was measured to carry here), every message accounted; 20 s into publishing the server is killed and started again on the same port: every connection reconnects
// and re-subscribes, and what was lost shows as gaps (the publisher runs on long enough after the
// restart that every subject sees a later message, so every loss is seen).

const dir = mkdtempSync(join(tmpdir(), 'mdbench-brokers-'));
export const N = 2000;
export const RATE = 2000;
const CLEAN_S = 20;
/**
 * Messages each subject gets on average after every subscriber and the publisher are back, so that
 * every loss shows as a gap: a subject's losses stay unseen only while no later message reaches it,
 * e^-15 of the time (about 12,000 messages of the publisher's catch-up burst went out while most
 * subscribers were still away: 0.004 of them expected unseen). At 0.5 message per subject a second
 * and 15 s (7.5 on average) the STOMP run left 5 of 12,805 losses unseen.
 */
const AFTER_MESSAGES = 15;

/** A server to run against: how to start it (again, on the same port) and how long it stays down. */
export interface ServerCase {
  name: string;
  protocol: string;
  args: string[];
  start(wsPort?: number): Promise<Broker>;
  /** How long the server stays down. */
  downMs: number;
  /** The publisher's rate, msg/s (RATE unless the server carries less). */
  rate?: number;
  /** Options of the client alone and of the publisher alone (`--transport sse`, `--transport http`). */
  clientArgs?: string[];
  publisherArgs?: string[];
  /** The protocol the client's summary names, when the transport implies one (`plain` for SSE). */
  reported?: string;
  /** The client's two local addresses (default 127.0.2.1-2): runs that may go side by side take others. */
  localAddresses?: string;
}

/** The article's block: every line present, the confidence intervals around the mean and nested. */
function assertArticleBlock(stdout: string): void {
  const summary = stdout.slice(stdout.lastIndexOf('Summary: whole run'));
  for (const label of [
    'Uptime',
    'Latency min',
    'Latency max',
    'Latency mean',
    'Latency standard deviation',
    '90% CI for the mean',
    '95% CI for the mean',
    'Total messages',
    'Frequency',
    'Integrity',
  ]) {
    assert.match(summary, new RegExp(`\\] \\[INFO\\] ${label.replace('%', '\\%')}: `), label);
  }
  const num = (re: RegExp) => Number((re.exec(summary)?.[1] ?? 'NaN').replace(/,/g, ''));
  const mean = num(/Latency mean: ([\d.,]+) ms/);
  const [l90, h90] = (/90% CI for the mean: \[([\d.,]+) - ([\d.,]+)\]/.exec(summary) ?? []).slice(1).map((x) => Number(x.replace(/,/g, '')));
  const [l95, h95] = (/95% CI for the mean: \[([\d.,]+) - ([\d.,]+)\]/.exec(summary) ?? []).slice(1).map((x) => Number(x.replace(/,/g, '')));
  assert.ok(l95 <= l90 && l90 <= mean + 0.01 && mean - 0.01 <= h90 && h90 <= h95, `CIs [${l95} [${l90} ${mean} ${h90}] ${h95}]`);
  assert.ok(num(/Latency min: ([\d.,]+) ms/) <= mean && mean <= num(/Latency max: ([\d.,]+) ms/));
}

/** The whole run against `c`: connect, publish, kill and restart the server, account for every message. */
export async function restartRun(c: ServerCase): Promise<void> {
  const rate = c.rate ?? RATE;
  let broker = await c.start();
  const port = broker.wsPort;
  const url = broker.url;
  const slug = c.name.replace(/\W+/g, '-');
  const cjson = join(dir, `${slug}-client.jsonl`);
  const pjson = join(dir, `${slug}-publisher.jsonl`);
  const client = new Proc('client', [
    '-s',
    url,
    '--protocol',
    c.protocol,
    ...c.args,
    ...(c.clientArgs ?? []),
    '--clients',
    String(N),
    '--subjects',
    `/p/s{1..${N}}/-`,
    '--one-to-one',
    '--local-addresses',
    c.localAddresses ?? '127.0.2.{1..2}',
    '--local-ports',
    '30000-31999',
    '--reconnect-min',
    '0.2',
    '--reconnect-max',
    '1',
    '--interval',
    '2',
    // Longer than any run of the test (a slow host and the slower rates stretch the wait after the
    // restart to minutes): the test ends the client with SIGINT once the last messages are in.
    '--duration',
    '900',
    '--json',
    cjson,
  ]);
  try {
    await client.waitFor(new RegExp(`Connected: ${N.toLocaleString('en-US')} open, ${N.toLocaleString('en-US')} subscribed, 0 failed`), 60_000);
    const pub = new Proc('publisher', [
      '-s',
      url,
      '--protocol',
      c.protocol,
      ...c.args,
      ...(c.publisherArgs ?? []),
      '--subjects',
      `/p/s{1..${N}}/-`,
      '--frequency',
      String(rate),
      '--duration',
      '900',
      '--reconnect-min',
      '0.2',
      '--reconnect-max',
      '1',
      '--interval',
      '2',
      '--json',
      pjson,
    ]);
    await pub.waitFor(/Publishing: /);
    await sleep(CLEAN_S * 1000);
    // The client writes a record every 2 s, and on a busy host the first messages may reach it late:
    // asked until its records hold the clean part's messages (up to 15 s more), then the kill.
    const intervals = () => jsonLines(readFileSync(cjson, 'utf8')).filter((r) => r.type === 'interval');
    const messagesIn = (records: ReturnType<typeof intervals>) => records.reduce((a, r) => a + (r.counters.messages ?? 0), 0);
    let beforeKill = intervals();
    for (let waited = 0; messagesIn(beforeKill) < rate * (CLEAN_S - 4) && waited < 15_000; waited += 500) {
      await sleep(500);
      beforeKill = intervals();
    }
    await broker.kill();
    await sleep(c.downMs);
    broker = await c.start(port);
    const back = client.stdout.length;
    for (;;) {
      const m = /Connections: ([\d,]+) open, [\d,]+ connected, ([\d,]+) subscribed/g;
      const tail = client.stdout.slice(back);
      const all = [...tail.matchAll(m)];
      if (all.length && all.at(-1)?.[2] === N.toLocaleString('en-US')) break;
      if (client.child.exitCode !== null) throw new Error(client.stdout.slice(-3000));
      await sleep(500);
    }
    // The publisher back too, then every subject sees later messages: every loss shows as a gap.
    // A broker may drop the publisher again a while after its restart (RabbitMQ reset it 10 s
    // later on a loaded CI host, and the messages lost then had too little time left to show as
    // gaps): the time after counts from its last reconnect.
    const afterS = (AFTER_MESSAGES * N) / rate;
    await pub.waitFor(/Reconnected: after/, 60_000);
    const reconnects = () => pub.stdout.split('Reconnected: after').length;
    for (let seen = 0, round = 0; seen !== reconnects() && round < 4; round++) {
      seen = reconnects();
      await sleep(afterS * 1000);
    }
    pub.kill('SIGINT');
    await pub.exited;
    // Ask the client (its interval records) until the last messages are in, rather than sleep a
    // fixed time: a broker on a busy host may still be delivering seconds later.
    const published0 = summaryOf(pjson).totalSent;
    let seen = -1;
    let stillMs = 0;
    while (stillMs < 6000) {
      await sleep(500);
      const now = jsonLines(readFileSync(cjson, 'utf8'))
        .filter((r) => r.type === 'interval')
        .reduce((a, r) => a + (r.counters.messages ?? 0) + (r.counters.gaps ?? 0), 0);
      if (now >= published0) break;
      stillMs = now === seen ? stillMs + 500 : 0;
      seen = now;
    }
    await sleep(2500); // one more client interval, so the summary holds what the intervals showed
    assert.equal(client.child.exitCode, null, `the client ended before the test stopped it\n${client.stdout.slice(-3000)}\n${client.stderr}`);
    client.kill('SIGINT');
    const code = await client.exited;
    assert.ok([0, 1].includes(code), `client exit ${code}\n${client.stdout.slice(-3000)}\n${client.stderr}`);

    const published = summaryOf(pjson).totalSent;
    const s = summaryOf(cjson);
    const received = s.counters.messages;
    // Every subscriber was subscribed before the first message, so a stream's messages before the
    // first one it saw were lost too: at 0.25 message per subject a second, e^-5 of the subjects
    // (13 of 2,000) get none in the 20 s before the kill, and their losses at the restart are
    // counted as joinedAfter (before their first message), not as gaps.
    const lost = (s.counters.gaps ?? 0) + (s.counters.joinedAfter ?? 0);
    assert.ok(published >= rate * CLEAN_S + AFTER_MESSAGES * N, `published ${published}`);
    assert.equal(
      received + lost,
      published,
      `received ${received} + gaps and losses before a stream's first message ${lost} = published ${published}: nothing unaccounted`,
    );
    assert.equal(s.counters.duplicates ?? 0, 0);
    assert.equal(s.counters.unstamped ?? 0, 0);
    assert.equal(s.counters.malformed ?? 0, 0);
    // Before the kill: every message of the clean ${CLEAN_S} s arrived, none lost.
    // What the publisher said (a connection it lost loses what its socket held) and the client's
    // intervals, when the clean part was not clean: the cause is in them.
    const clean = () =>
      `publisher:\n${pub.stdout.slice(0, 3000)}\nclient intervals before the kill:\n${beforeKill.map((r) => JSON.stringify(r.counters)).join('\n')}`;
    assert.ok(beforeKill.length >= 5, clean());
    assert.equal(
      beforeKill.reduce((a, r) => a + (r.counters.gaps ?? 0), 0),
      0,
      `no gaps before the kill\n${clean()}`,
    );
    const cleanMessages = messagesIn(beforeKill);
    assert.ok(cleanMessages >= rate * (CLEAN_S - 4), `${cleanMessages} messages before the kill, below ${rate * (CLEAN_S - 4)}\n${clean()}`);
    // After the restart: every connection came back and subscribed again.
    assert.equal(s.gauges.open, N);
    assert.equal(s.gauges.subscribed, N);
    assert.ok(s.counters.reconnects >= N, `reconnects ${s.counters.reconnects}`);
    assert.ok(s.counters.disconnects >= N);
    assertArticleBlock(client.stdout);
    assert.match(client.stdout, /Integrity: [\d,]+ lost \(gaps\), 0 duplicates, [\d,]+ out of order, 0 unstamped/);
    assert.equal(s.protocol, c.reported ?? c.protocol);
    assert.match(pub.stdout, /Reconnected: after/);
  } finally {
    client.kill('SIGKILL');
    await broker.stop();
  }
}
