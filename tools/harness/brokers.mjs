// Real brokers from Debian's packages, started on loopback for the tests and benchmarks: nats-server
// with its WebSocket listener, Mosquitto 2 with a WebSocket listener, RabbitMQ with web-stomp. Each
// runs from a configuration in a folder of its own, can be killed (SIGKILL) and started again on
// the same ports, and is ended with the process that started it.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, freePort, sleep, track } from './processes.mjs';

/** Waits until a TCP port accepts connections. */
async function waitForPort(port, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`${what} did not open port ${port} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Fails with the command that installs a broker when its program is missing (a test needing it must fail, not skip). */
function requireProgram(program, pkg) {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${program} is not installed: apt-get install -y ${pkg} (.ci/run installs it)`);
  return r.stdout.trim();
}

/** Makes `paths` belong to `user` when we are root (a broker that drops to its own user must read them). */
function giveTo(user, ...paths) {
  if (process.getuid?.() !== 0) return;
  const id = (flag) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return;
  for (const p of paths) chownSync(p, uid, gid);
}

/** SIGKILLs every process whose environment holds `marker` (RabbitMQ's node name reaches beam through it). */
function killMarked(marker) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone, or not ours to read */
    }
  }
}

const marked = new Set();
process.on('exit', () => {
  for (const m of marked) killMarked(m);
});

class Broker {
  /** `marker`: a string in the command line of every process of this broker (RabbitMQ's node name), for processes that leave the group. */
  constructor(name, wsPort, argv, env, marker) {
    this.name = name;
    this.wsPort = wsPort;
    this.argv = argv;
    this.env = env;
    this.marker = marker;
    this.child = null;
    this.log = '';
  }

  async start(readyPort = this.wsPort, timeoutMs = 30_000) {
    this.child = track(spawn(this.argv[0], this.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env }, detached: true }));
    this.child.stdout.on('data', (d) => (this.log += d));
    this.child.stderr.on('data', (d) => (this.log += d));
    const exited = new Promise((r) => this.child.once('exit', r));
    await Promise.race([
      waitForPort(readyPort, timeoutMs, this.name),
      exited.then((c) => Promise.reject(new Error(`${this.name} exited (${c}):\n${this.log.slice(-2000)}`))),
    ]);
    return this;
  }

  /** The process group's pid (the broker and what it started). */
  get pid() {
    return this.child?.pid;
  }

  /** SIGKILL to the whole process group; resolves once it is gone. */
  async kill() {
    const c = this.child;
    if (this.marker) killMarked(this.marker);
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      c.kill('SIGKILL');
    }
    await gone;
    if (this.marker) killMarked(this.marker);
  }

  async stop() {
    await this.kill();
  }
}

/** nats-server with `websocket { host, port, no_tls }` on loopback; `url` is its WebSocket address. */
export async function startNats(o = {}) {
  const bin = requireProgram('nats-server', 'nats-server');
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-nats-'));
  const port = await freePort();
  const wsPort = o.wsPort ?? (await freePort());
  const auth = o.user ? `authorization { user: "${o.user}", password: "${o.password}" }\n` : '';
  // o.tls: { cert, key } files: the WebSocket listener speaks TLS (wss://), with compression offered.
  const ws = o.tls ? `tls { cert_file: "${o.tls.cert}", key_file: "${o.tls.key}" }, compression: true` : 'no_tls: true';
  writeFileSync(join(dir, 'nats.conf'), `host: 127.0.0.1\nport: ${port}\nmax_payload: 1MB\n${auth}websocket { host: 127.0.0.1, port: ${wsPort}, ${ws} }\n`);
  const b = new Broker('nats-server', wsPort, [bin, '-c', join(dir, 'nats.conf')], {});
  b.url = `${o.tls ? 'wss' : 'ws'}://127.0.0.1:${wsPort}/`;
  b.tcpPort = port;
  return b.start();
}

/**
 * Mosquitto 2 with a WebSocket listener bound to 127.0.0.1 (here it opens only when bound to an
 * explicit address, and only next to a plain listener); `url` is its WebSocket address.
 */
export async function startMosquitto(o = {}) {
  const bin = requireProgram('mosquitto', 'mosquitto');
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-mosquitto-'));
  const port = await freePort();
  const wsPort = o.wsPort ?? (await freePort());
  let conf = `per_listener_settings false\npersistence false\nlog_dest stdout\nlog_type error\nlog_type warning\nmax_queued_messages 100000\n`;
  conf += o.password ? `allow_anonymous false\npassword_file ${join(dir, 'passwords')}\n` : 'allow_anonymous true\n';
  conf += `listener ${port} 127.0.0.1\nlistener ${wsPort} 127.0.0.1\nprotocol websockets\n`;
  // o.tls: { cert, key } files: the WebSocket listener speaks TLS (wss://). Copied into the
  // broker's folder, which it reads as the mosquitto user.
  if (o.tls) {
    copyFileSync(o.tls.cert, join(dir, 'cert.pem'));
    copyFileSync(o.tls.key, join(dir, 'key.pem'));
    giveTo('mosquitto', dir, join(dir, 'cert.pem'), join(dir, 'key.pem'));
    conf += `certfile ${join(dir, 'cert.pem')}\nkeyfile ${join(dir, 'key.pem')}\n`;
  }
  writeFileSync(join(dir, 'mosquitto.conf'), conf);
  if (o.password) {
    writeFileSync(join(dir, 'passwords'), '');
    spawnSync('mosquitto_passwd', ['-b', join(dir, 'passwords'), o.user, o.password]);
    // Started as root, Mosquitto reads its files as the mosquitto user.
    giveTo('mosquitto', dir, join(dir, 'passwords'));
  }
  const b = new Broker('mosquitto', wsPort, [bin, '-c', join(dir, 'mosquitto.conf')], {});
  b.url = `${o.tls ? 'wss' : 'ws'}://127.0.0.1:${wsPort}/mqtt`;
  b.tcpPort = port;
  return b.start();
}

/**
 * RabbitMQ with rabbitmq_web_stomp on loopback, in a folder of its own (node name, ports, data):
 * `url` is the web-stomp endpoint. web_stomp.ws_frame = binary, so binary stamps travel in binary
 * WebSocket frames. Starting takes a few seconds.
 */
export async function startRabbit(o = {}) {
  requireProgram('rabbitmq-server', 'rabbitmq-server');
  // Debian's wrapper starts the server through `su rabbitmq`, whose PAM limits cap it at 1,024 open
  // files (about 1,000 connections): start the real script as the rabbitmq user with setpriv instead,
  // which keeps this process's limits.
  const bin = '/usr/lib/rabbitmq/bin/rabbitmq-server';
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-rabbit-'));
  const amqp = await freePort();
  const dist = await freePort();
  const wsPort = o.wsPort ?? (await freePort());
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    `listeners.tcp.default = 127.0.0.1:${amqp}\nweb_stomp.tcp.ip = 127.0.0.1\nweb_stomp.tcp.port = ${wsPort}\nweb_stomp.ws_frame = binary\nweb_stomp.max_connections = infinity\nloopback_users = none\n`,
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_web_stomp].\n');
  // Started as root, the server runs as the rabbitmq user: its folder must be that user's.
  giveTo('rabbitmq', dir);
  const node = `mdbench${process.pid}x${dist}@localhost`;
  const env = {
    RABBITMQ_NODENAME: node,
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_DIST_PORT: String(dist),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    ERL_EPMD_ADDRESS: '127.0.0.1',
    HOME: dir,
  };
  marked.add(`RABBITMQ_NODENAME=${node}`);
  const argv = root ? ['setpriv', '--reuid=rabbitmq', '--regid=rabbitmq', '--init-groups', bin] : [bin];
  const b = new Broker('rabbitmq-server', wsPort, argv, env, `RABBITMQ_NODENAME=${node}`);
  b.url = `ws://127.0.0.1:${wsPort}/ws`;
  return b.start(wsPort, 90_000);
}

/** Prometheus (Debian's `prometheus`) scraping `jobs` ({name: ["host:port", ...]}) every second; `query(expr)` asks its HTTP API. */
export async function startPrometheus(jobs, o = {}) {
  const bin = requireProgram('prometheus', 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-prometheus-'));
  const port = await freePort();
  const scrape = Object.entries(jobs)
    .map(
      ([name, targets]) =>
        `  - job_name: ${name}\n    scrape_interval: 1s\n${o.token ? `    authorization:\n      credentials: ${o.token}\n` : ''}    static_configs:\n      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]\n`,
    )
    .join('');
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${scrape}`);
  const b = new Broker(
    'prometheus',
    port,
    [bin, `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    {},
  );
  b.url = `http://127.0.0.1:${port}`;
  b.query = async (expr) => {
    const res = await fetch(`${b.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = await res.json();
    if (body.status !== 'success') throw new Error(`prometheus query ${expr}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  return b.start();
}

/** Debian's prometheus-pushgateway on a free loopback port, ready when it says so (`/-/ready`); `metrics()` reads what it holds. */
export async function startPushgateway() {
  const bin = requireProgram('prometheus-pushgateway', 'prometheus-pushgateway');
  const port = await freePort();
  const b = new Broker('prometheus-pushgateway', port, [bin, `--web.listen-address=127.0.0.1:${port}`], {});
  await b.start();
  b.url = `http://127.0.0.1:${port}`;
  for (
    let t = 0;
    t < 300 &&
    !(await fetch(`${b.url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ));
    t++
  )
    await new Promise((r) => setTimeout(r, 100));
  b.metrics = async () => (await fetch(`${b.url}/metrics`)).text();
  return b;
}

/**
 * One of the example servers users copy (examples/socketio-server, examples/graphql-server), run by
 * this Node on loopback; `url` is its address without a path (each protocol knows its own).
 */
export async function startExample(name, o = {}) {
  const wsPort = o.wsPort ?? (await freePort());
  const script = new URL(`../../examples/${name}/server.mjs`, import.meta.url).pathname;
  const b = new Broker(name, wsPort, [process.execPath, script, '--host', '127.0.0.1', '--port', String(wsPort), ...(o.args ?? [])], {});
  b.url = `127.0.0.1:${wsPort}`;
  return b.start();
}

/**
 * nginx with Nchan (Debian's libnginx-mod-nchan) on loopback: `GET /sub/CHANNEL` serves
 * EventSource and WebSocket subscribers, `POST /pub/CHANNEL` publishes; the channel is the rest of
 * the path. One worker process, keep-alive connections that are not closed after 1,000 requests
 * (nginx's default would cut an HTTP publisher's pipelined POSTs), and subscribers that start with
 * new messages only. `url` is its address.
 */
export async function startNchan(o = {}) {
  const bin = requireProgram('nginx', 'nginx libnginx-mod-nchan');
  const module = '/usr/lib/nginx/modules/ngx_nchan_module.so';
  if (spawnSync('test', ['-f', module]).status !== 0) throw new Error(`${module} is missing: apt-get install -y libnginx-mod-nchan (.ci/run installs it)`);
  const dir = mkdtempSync(join(tmpdir(), 'mdbench-nchan-'));
  const port = o.wsPort ?? (await freePort());
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(dir, t)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `load_module ${module};
worker_processes 1;
worker_rlimit_nofile 19000;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 18000; }
http {
  access_log off;
  keepalive_requests 100000000;
${temp}
  server {
    listen 127.0.0.1:${port};
    location ~ ^/sub/(.*)$ {
      nchan_subscriber;
      nchan_channel_id "$1";
      nchan_subscriber_first_message newest;
    }
    location ~ ^/pub/(.*)$ {
      nchan_publisher;
      nchan_channel_id "$1";
    }
  }
}
`,
  );
  const b = new Broker('nginx (Nchan)', port, [bin, '-p', dir, '-c', join(dir, 'nginx.conf')], {});
  b.url = `http://127.0.0.1:${port}`;
  b.dir = dir;
  return b.start();
}

/** mdbench-server on loopback as a broker the tests can kill and start again on the same port. */
export async function startMdbench(o = {}) {
  const port = o.wsPort ?? (await freePort());
  const b = new Broker('mdbench-server', port, [process.execPath, binPath('server'), '--listen', `127.0.0.1:${port}`, ...(o.args ?? [])], {});
  b.url = `127.0.0.1:${port}`;
  return b.start();
}
