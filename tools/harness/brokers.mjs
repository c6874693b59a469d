// Real brokers from Debian's packages, started on loopback for the tests and benchmarks: nats-server
// with its WebSocket listener, Mosquitto 2 with a WebSocket listener, RabbitMQ with web-stomp. Each
// runs from a configuration in a folder of its own, can be killed (SIGKILL) and started again on
// the same ports, and is ended with the process that started it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker, giveTo, requireProgram } from './broker-process.mjs';
import { binPath, freePort } from './processes.mjs';

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
