import net from 'node:net';
import http from 'node:http';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  FrameType,
  ProtocolError,
  NATIVE_SUBPROTOCOL,
  decodeSubjectList,
  encodeSubjectList,
  encodeTimeResponse,
  epochUs,
  frameType,
  messageSubject,
} from '@mdbench/core';
import { HubBatcher, HubKind, HubReader, encodeHub } from './hub-codec.js';
import { Subscriptions } from './subscriptions.js';
import { WORKER_ENV, type PrimaryToWorker, type WorkerConfig, type WorkerStats, type WorkerToPrimary } from './worker-config.js';

type Peer = WebSocket & { subjects?: string[]; tcp?: net.Socket };

const cfg = JSON.parse(process.env[WORKER_ENV] ?? '{}') as WorkerConfig;
const subs = new Subscriptions<Peer>();
const peers = new Set<Peer>();
const stats: WorkerStats = {
  connections: 0, subscriptions: 0, subjects: 0, messagesIn: 0, messagesOut: 0, bytesOut: 0,
  slowDrops: 0, slowDisconnects: 0, malformed: 0, oversized: 0, rejected: 0, testDropped: 0, rssBytes: 0, heapUsedBytes: 0,
};
let published = 0;

const send = (msg: WorkerToPrimary) => process.send?.(msg);

// --- hub link: messages published on other workers arrive here, ours go out ---
let hub: HubBatcher | null = null;
if (cfg.hubPath) {
  const sock = net.connect(cfg.hubPath);
  sock.setNoDelay(true);
  hub = new HubBatcher((data) => sock.write(data));
  const hello = Buffer.alloc(2);
  hello.writeUInt16BE(cfg.workerId);
  hub.push(encodeHub(HubKind.HELLO, hello));
  const reader = new HubReader((kind, body) => {
    if (kind === HubKind.PUBLISH) deliverLocal(body, messageSubject(body));
  });
  sock.on('data', (d) => reader.push(d));
  sock.on('error', (err) => send({ type: 'fatal', code: 'MDB_HUB', message: `hub link failed: ${err.message}` }));
}

function interest(kind: number, subject: string): void {
  hub?.push(encodeHub(kind, Buffer.from(subject, 'utf8')));
}

function deliverLocal(frame: Buffer, subject: string): void {
  subs.forEach(subject, (ws) => {
    if (cfg.bufferLimitSend > 0 && ws.bufferedAmount > cfg.bufferLimitSend) {
      if (cfg.slowConsumer === 'drop') {
        stats.slowDrops++;
        return;
      }
      stats.slowDisconnects++;
      ws.terminate();
      return;
    }
    ws.send(frame, { binary: true });
    stats.messagesOut++;
    stats.bytesOut += frame.length;
  });
}

function unsubscribeAll(ws: Peer): void {
  for (const s of ws.subjects ?? []) if (subs.remove(s, ws)) interest(HubKind.INTEREST_DEL, s);
  ws.subjects = undefined;
}

function onMessage(this: Peer, data: RawData, isBinary: boolean): void {
  const buf = data as Buffer;
  if (!isBinary) {
    stats.malformed++;
    this.close(1003, 'text frames are not part of the mdbench protocol');
    return;
  }
  try {
    switch (frameType(buf)) {
      case FrameType.MESSAGE: {
        stats.messagesIn++;
        const subject = messageSubject(buf);
        if (cfg.testDropEvery > 0 && ++published % cfg.testDropEvery === 0) {
          stats.testDropped++;
          return;
        }
        deliverLocal(buf, subject);
        hub?.push(encodeHub(HubKind.PUBLISH, buf));
        return;
      }
      case FrameType.SUBSCRIBE: {
        const list = decodeSubjectList(buf);
        const mine = (this.subjects ??= []);
        for (const s of list) {
          if (mine.includes(s)) continue;
          mine.push(s);
          if (subs.add(s, this)) interest(HubKind.INTEREST_ADD, s);
        }
        this.send(encodeSubjectList(FrameType.SUBACK, list));
        return;
      }
      case FrameType.UNSUBSCRIBE: {
        for (const s of decodeSubjectList(buf)) {
          const i = this.subjects?.indexOf(s) ?? -1;
          if (i >= 0) this.subjects?.splice(i, 1);
          if (subs.remove(s, this)) interest(HubKind.INTEREST_DEL, s);
        }
        return;
      }
      case FrameType.TIME_REQUEST:
        if (buf.length < 12) throw new ProtocolError('MDB_PROTO_SHORT', 'time request shorter than 12 bytes');
        this.send(encodeTimeResponse(buf, epochUs() + cfg.testClockOffsetUs));
        return;
      default:
        throw new ProtocolError('MDB_PROTO_TYPE', `unknown frame type 0x${buf[0].toString(16)}`);
    }
  } catch (err) {
    stats.malformed++;
    this.close(1007, (err as Error).message.slice(0, 120));
  }
}

function onClose(this: Peer): void {
  peers.delete(this);
  unsubscribeAll(this);
}

function onError(this: Peer, err: Error & { code?: string }): void {
  if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') stats.oversized++;
  else stats.malformed++;
}

const httpServer = http.createServer((_req, res) => {
  res.writeHead(426, { 'Content-Type': 'text/plain' });
  res.end('mdbench-server speaks WebSocket only\n');
});
httpServer.on('clientError', (_err, socket) => socket.destroy());

// A worker full to its open-file budget stops accepting, so the shared socket's other workers take
// the new connections; it accepts again once it has room.
let sockets = 0;
let accepting = true;
let listened = false;
httpServer.on('connection', (socket: net.Socket) => {
  sockets++;
  socket.once('close', () => {
    sockets--;
    if (!accepting && sockets < cfg.maxSockets * 0.95) {
      accepting = true;
      // The same address and port as the first listen: the cluster keys the shared socket by them.
      httpServer.listen({ host: cfg.host, port: cfg.port, backlog: 65535 });
    }
  });
  if (accepting && sockets >= cfg.maxSockets) {
    accepting = false;
    httpServer.close();
  }
});

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: cfg.bufferLimitReceive,
  handleProtocols: (offered) => (offered.has(NATIVE_SUBPROTOCOL) ? NATIVE_SUBPROTOCOL : false),
});

httpServer.on('upgrade', (req, socket, head) => {
  socket.on('error', () => socket.destroy());
  if (cfg.token && req.headers.authorization !== `Bearer ${cfg.token}`) {
    stats.rejected++;
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const peer = ws as Peer;
    peer.tcp = req.socket as net.Socket;
    peers.add(peer);
    peer.on('message', onMessage);
    peer.on('close', onClose);
    peer.on('error', onError);
  });
});

httpServer.on('error', (err: NodeJS.ErrnoException) => {
  if (!listened) {
    send({ type: 'fatal', code: err.code ?? 'MDB_LISTEN', message: `cannot listen on ${cfg.host}:${cfg.port}: ${err.code ?? err.message}` });
    return;
  }
  // Accepting again after being full failed: try once more in a second.
  accepting = false;
  setTimeout(() => {
    accepting = true;
    httpServer.listen({ host: cfg.host, port: cfg.port, backlog: 65535 });
  }, 1000).unref();
});

httpServer.listen({ host: cfg.host, port: cfg.port, backlog: 65535 }, () => {
  listened = true;
  send({ type: 'listening', port: (httpServer.address() as net.AddressInfo).port });
});

function flushStats(done?: () => void): void {
  stats.connections = peers.size;
  stats.subscriptions = subs.size;
  stats.subjects = subs.subjects;
  const mem = process.memoryUsage();
  stats.rssBytes = mem.rss;
  stats.heapUsedBytes = mem.heapUsed;
  process.send?.({ type: 'stats', stats: { ...stats } } satisfies WorkerToPrimary, undefined, {}, () => done?.());
  stats.messagesIn = stats.messagesOut = stats.bytesOut = 0;
  stats.slowDrops = stats.slowDisconnects = stats.malformed = stats.oversized = stats.rejected = stats.testDropped = 0;
}

setInterval(flushStats, 1000).unref();

process.on('message', (msg: PrimaryToWorker) => {
  if (msg.type === 'connections') {
    // Read on request only: a getpeername per connection at accept time costs every ramp.
    send({ type: 'connections', id: msg.id, peers: [...peers].map((p) => `${p.tcp?.remoteAddress}:${p.tcp?.remotePort}`) });
  } else if (msg.type === 'shutdown') {
    // Report the last partial second before leaving, so the primary's summary loses nothing.
    flushStats(() => {
      for (const p of peers) p.terminate();
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the primary collects the last counts, then ends us.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
