import mqttPacket, { type Packet } from 'mqtt-packet';
import { DEFAULT_KEEPALIVE_S, type Protocol, type ProtocolModule, type ProtocolOptions, type Session } from '../protocol.js';
import { packetBytes, packetEnd, varIntBytes, writeVarInt } from './framing.js';
import { MAX_UNIT_BYTES, keepCarry, withCarry } from '../carry.js';
import { connackCause, pubackCause, subackCause } from './reason-codes.js';

/** Session phases: CONNECT sent, SUBSCRIBE sent, established. */
const Phase = { CONNECTING: 1, SUBSCRIBING: 2, READY: 3 } as const;

const PINGREQ = Buffer.from([0xc0, 0x00]);
/** The packet identifier of the one SUBSCRIBE a subscriber sends. */
const SUBSCRIBE_ID = 1;

/** The shared subscription responders take their topics in (MQTT 5): each request reaches one of them. */
const RESPONDERS = '$share/mdbench-responders/';

/** A subscriber's response topic (MQTT 5 request/response): its own, by its fleet-unique client id. */
function replyTopicOf(s: Session): string {
  return `mdbench/reply/${s.clientId}`;
}

/**
 * A responder's reply address: the request's response topic and its correlation data (hex), joined
 * by U+0000, which no MQTT topic may hold; `writePublish` takes it apart again.
 */
const REPLY_SEPARATOR = '\u0000';

/**
 * MQTT 3.1.1 and 5.0 over WebSocket (subprotocol `mqtt`): CONNECT with a fleet-unique client id
 * and a clean session, CONNACK, one SUBSCRIBE for every topic of the connection, SUBACK; PUBLISH at
 * QoS 0 or 1 (a subscriber answers QoS 1 with PUBACK; a publisher keeps a window of unacknowledged
 * ones); PINGREQ every keepalive from mdbench's timer wheel, since incoming publishes do not reset
 * the broker's keepalive timer. The stream is cut into packets here (a packet may be split across
 * WebSocket messages or several packed in one); mqtt-packet decodes and generates the packets,
 * except PUBLISH on the publisher's hot path, which is written in place (tested byte for byte
 * against mqtt-packet's generate).
 */
class MqttProtocol implements Protocol {
  readonly name = 'mqtt';
  readonly subprotocol = 'mqtt';
  readonly keepaliveMs: number;
  readonly keepaliveAnswered = true;
  readonly window?: number;
  /** MQTT 5 request/response: the response topic and correlation data of PUBLISH (absent for 3.1.1: no mechanism). */
  readonly respond?: boolean;
  requestBytes?: (s: Session, topic: string, payloadBytes: number) => number;
  writeRequest?: (out: Buffer, at: number, s: Session, topic: string, id: number, payload: Buffer) => number;
  private readonly options: ProtocolOptions;
  private readonly version: number;
  private readonly parser: ReturnType<typeof mqttPacket.parser>;
  private cur: Session | null = null;

  constructor(o: ProtocolOptions) {
    this.options = o;
    this.version = o.mqttVersion;
    this.keepaliveMs = (o.keepaliveS ?? DEFAULT_KEEPALIVE_S) * 1000;
    if (o.qos > 0) this.window = o.window;
    this.parser = mqttPacket.parser({ protocolVersion: this.version });
    if (this.version === 5) {
      this.respond = true;
      this.requestBytes = (s, topic, payloadBytes) => this.publishBytesWith(topic, requestProperties(s), payloadBytes);
      this.writeRequest = (out, at, s, topic, id, payload) => this.writePub(out, at, s, topic, requestProperties(s, id), payload);
    }
    this.parser.on('packet', (p: Packet) => this.onPacket(this.cur as Session, p));
    this.parser.on('error', (err: Error) => {
      const s = this.cur;
      if (!s) return;
      s.phase = 0;
      s.malformed(`MQTT packet: ${err.message}`);
      s.drop('protocol', err.message);
    });
  }

  private gen(p: Record<string, unknown>): Buffer {
    return mqttPacket.generate(p as unknown as Packet, { protocolVersion: this.version });
  }

  open(s: Session): void {
    s.phase = Phase.CONNECTING;
    s.data = 0;
    const o = this.options;
    s.send(
      this.gen({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: this.version,
        clean: true,
        clientId: s.clientId,
        keepalive: o.keepaliveS ?? DEFAULT_KEEPALIVE_S,
        ...(o.user !== undefined ? { username: o.user } : {}),
        ...(o.password !== undefined ? { password: Buffer.from(o.password) } : o.token !== undefined ? { password: Buffer.from(o.token) } : {}),
      }),
    );
  }

  receive(s: Session, data: Buffer): void {
    const buf = withCarry(s, data);
    if (buf === null) return;
    let at = 0;
    while (at < buf.length) {
      const end = packetEnd(buf, at);
      if (end === -2) {
        s.malformed('MQTT remaining length longer than 4 bytes');
        return s.drop('protocol', 'MQTT remaining length longer than 4 bytes');
      }
      const bytes = packetBytes(buf, at);
      if (bytes > MAX_UNIT_BYTES) {
        const detail = `MQTT packet of ${bytes} bytes, over the ${MAX_UNIT_BYTES}-byte limit`;
        s.malformed(detail);
        return s.drop('protocol', detail);
      }
      if (end === -1) {
        // A packet split across WebSocket messages: keep its start.
        return keepCarry(s, buf, { at, unitBytes: bytes });
      }
      this.cur = s;
      const left = this.parser.parse(buf.subarray(at, end));
      this.cur = null;
      if (left !== 0) (this.parser as unknown as { _resetState(): void })._resetState();
      at = end;
      if (s.phase === 0) return; // refused: the connection is closing
    }
  }

  private onPacket(s: Session, p: Packet): void {
    const v = this.version;
    switch (p.cmd) {
      case 'publish': {
        if (p.qos === 1 && p.messageId !== undefined) s.send(Buffer.from([0x40, 0x02, p.messageId >> 8, p.messageId & 0xff]));
        this.onPublish(s, p);
        return;
      }
      case 'connack': {
        const code = (v === 5 ? p.reasonCode : p.returnCode) ?? 0;
        if (code !== 0) {
          s.phase = 0;
          return s.refuse(connackCause(code, v));
        }
        s.connected();
        if (s.role === 'publisher') {
          s.phase = Phase.READY;
          return;
        }
        s.phase = Phase.SUBSCRIBING;
        s.send(this.gen({ cmd: 'subscribe', messageId: SUBSCRIBE_ID, subscriptions: this.filtersOf(s).map((topic) => ({ topic, qos: this.options.qos })) }));
        return;
      }
      case 'suback': {
        const bad = (p.granted as number[]).find((g) => typeof g === 'number' && g >= 0x80);
        if (bad !== undefined) {
          s.phase = 0;
          return s.refuse(subackCause(bad, v));
        }
        s.phase = Phase.READY;
        s.subscribed();
        return;
      }
      case 'puback':
        s.acked();
        if (v === 5 && (p.reasonCode ?? 0) >= 0x80) s.error(pubackCause(p.reasonCode as number));
        return;
      case 'pingresp':
        return;
      case 'disconnect':
        s.error(`DISCONNECT ${v === 5 ? `0x${(p.reasonCode ?? 0).toString(16).padStart(2, '0')}` : 'from the broker'}`);
        return;
      default:
        s.phase = 0;
        s.malformed(`unexpected MQTT ${p.cmd} from the broker`);
        s.drop('protocol', `unexpected MQTT ${p.cmd}`);
    }
  }

  /** What a connection subscribes to: its topics (a responder's in the responders' shared subscription), and a requester's response topic. */
  private filtersOf(s: Session): string[] {
    if (s.role === 'responder') return s.topics.map((t) => RESPONDERS + t);
    return this.version === 5 && this.options.requests ? [...s.topics, replyTopicOf(s)] : [...s.topics];
  }

  /** A PUBLISH received: a request to answer (responder), the reply to a request (its response topic), or a message. */
  private onPublish(s: Session, p: Packet & { cmd: 'publish' }): void {
    const props = p.properties;
    if (s.role === 'responder') {
      if (props?.responseTopic) s.request(props.responseTopic + REPLY_SEPARATOR + (props.correlationData?.toString('hex') ?? ''), p.payload as Buffer);
      return;
    }
    if (this.version === 5 && this.options.requests && p.topic === replyTopicOf(s)) {
      const c = props?.correlationData;
      if (c && c.length === 4) s.answered(c.readUInt32BE(0));
      else s.malformed(`a reply on ${p.topic.slice(0, 80)} without a 4-byte correlation id`);
      return;
    }
    s.message(p.topic, p.payload as Buffer);
  }

  keepalive(s: Session): void {
    if (s.phase >= Phase.SUBSCRIBING) s.send(PINGREQ);
  }

  /** Remaining length of a PUBLISH: topic, packet id at QoS 1, MQTT 5 properties (`props`, or none), payload. */
  private remaining(topicBytes: number, props: Buffer | null, payloadBytes: number): number {
    const propBytes = this.version === 5 ? varIntBytes(props?.length ?? 0) + (props?.length ?? 0) : 0;
    return 2 + topicBytes + (this.options.qos > 0 ? 2 : 0) + propBytes + payloadBytes;
  }

  /** Bytes of a PUBLISH of `payloadBytes` to `topic` with MQTT 5 `props`. */
  private publishBytesWith(topic: string, props: Buffer | null, payloadBytes: number): number {
    const rem = this.remaining(Buffer.byteLength(topic), props, payloadBytes);
    return 1 + varIntBytes(rem) + rem;
  }

  publishBytes(topic: string, payloadBytes: number): number {
    const [name, props] = replyAddress(topic);
    return this.publishBytesWith(name, props, payloadBytes);
  }

  writePublish(out: Buffer, at: number, s: Session, topic: string, payload: Buffer): number {
    const [name, props] = replyAddress(topic);
    return this.writePub(out, at, s, name, props, payload);
  }

  /** One PUBLISH at `at`: the topic, a packet id at QoS 1, MQTT 5 properties (`props`, or none), the payload. */
  private writePub(out: Buffer, at: number, s: Session, topic: string, props: Buffer | null, payload: Buffer): number {
    const qos = this.options.qos;
    const topicBytes = Buffer.byteLength(topic);
    out[at] = 0x30 | (qos << 1);
    let p = writeVarInt(out, at + 1, this.remaining(topicBytes, props, payload.length));
    out.writeUInt16BE(topicBytes, p);
    p += 2 + out.write(topic, p + 2, 'utf8');
    if (qos > 0) {
      // Packet identifiers 1..65535 in turn; the window keeps far fewer than 65,535 in flight.
      const id = ((s.data as number) % 65535) + 1;
      s.data = id;
      out.writeUInt16BE(id, p);
      p += 2;
    }
    if (this.version === 5) {
      p = writeVarInt(out, p, props?.length ?? 0);
      if (props) p += props.copy(out, p);
    }
    return p + payload.copy(out, p);
  }
}

/** MQTT 5 properties of a request: its response topic and its id as 4 bytes of correlation data. */
function requestProperties(s: Session, id = 0): Buffer {
  const topic = Buffer.from(replyTopicOf(s));
  const out = Buffer.allocUnsafe(3 + topic.length + 3 + 4);
  out[0] = 0x08; // Response Topic
  out.writeUInt16BE(topic.length, 1);
  topic.copy(out, 3);
  const p = 3 + topic.length;
  out[p] = 0x09; // Correlation Data
  out.writeUInt16BE(4, p + 1);
  out.writeUInt32BE(id >>> 0, p + 3);
  return out;
}

/** A reply address (`topic` U+0000 correlation hex) as its topic and MQTT 5 properties; any other topic as itself with none. */
function replyAddress(topic: string): [string, Buffer | null] {
  const sep = topic.indexOf(REPLY_SEPARATOR);
  if (sep < 0) return [topic, null];
  const correlation = Buffer.from(topic.slice(sep + 1), 'hex');
  const props = Buffer.allocUnsafe(3 + correlation.length);
  props[0] = 0x09;
  props.writeUInt16BE(correlation.length, 1);
  correlation.copy(props, 3);
  return [topic.slice(0, sep), props];
}

export const mqtt: ProtocolModule = { create: (o) => new MqttProtocol(o) };
