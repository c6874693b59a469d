import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { Carry, MAX_UNIT_BYTES } from './carry.js';
import { mqtt } from './mqtt/mqtt.js';
import { nats } from './nats/nats.js';
import type { Protocol } from './protocol.js';
import { stomp } from './stomp/stomp.js';
import { FakeSession, splitAt } from '../testing.js';

// Every stream decoder (NATS, MQTT, STOMP) fed through its session exactly as the client feeds it:
// whole WebSocket messages, cut anywhere. MDBENCH_FUZZ_RUNS sets the cases per property (the long
// fuzz of docs/reliability.md runs 100,000).
const RUNS = Number(process.env.MDBENCH_FUZZ_RUNS ?? 300);
const options = { role: 'subscriber' as const, qos: 0, mqttVersion: 4, keepaliveS: 30, window: 0 };

interface Case {
  name: string;
  /** A protocol session already connected and subscribed. */
  ready(): { s: FakeSession; p: Protocol };
  /** The bytes of one message carrying `payload`. */
  message(payload: Buffer): Buffer;
  /** The head of a message that declares `bytes` of payload (its payload never sent). */
  declares(bytes: number): Buffer;
}

const gen = (p: Record<string, unknown>) => mqttPacket.generate(p as unknown as Packet, { protocolVersion: 4 });

const cases: Case[] = [
  {
    name: 'NATS',
    ready() {
      const p = nats.create(options);
      const s = new FakeSession('subscriber', ['/p/s1/-']);
      p.open(s);
      p.receive(s, Buffer.from('INFO {"max_payload":1048576}\r\n'));
      p.receive(s, Buffer.from('PONG\r\n'));
      return { s, p };
    },
    message: (b) => Buffer.concat([Buffer.from(`MSG /p/s1/- 1 ${b.length}\r\n`), b, Buffer.from('\r\n')]),
    declares: (n) => Buffer.from(`MSG /p/s1/- 1 ${n}\r\n`),
  },
  {
    name: 'MQTT',
    ready() {
      const p = mqtt.create(options);
      const s = new FakeSession('subscriber', ['/p/s1/-']);
      p.open(s);
      p.receive(s, gen({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
      p.receive(s, gen({ cmd: 'suback', messageId: 1, granted: [0] }));
      return { s, p };
    },
    message: (b) => gen({ cmd: 'publish', topic: '/p/s1/-', payload: b, qos: 0, dup: false, retain: false }),
    declares(n) {
      const head = Buffer.from([0x30, 0, 0, 0, 0]);
      let at = 1;
      let v = n;
      do {
        head[at++] = (v % 128) | (v >= 128 ? 0x80 : 0);
        v = Math.floor(v / 128);
      } while (v > 0 && at < 5);
      return head.subarray(0, at);
    },
  },
  {
    name: 'STOMP',
    ready() {
      const p = stomp.create({ ...options, user: 'guest', password: 'guest' });
      const s = new FakeSession('subscriber', ['/topic/p.s1.-']);
      p.open(s);
      p.receive(s, Buffer.from('CONNECTED\nversion:1.2\n\n\0'));
      p.receive(s, Buffer.from('RECEIPT\nreceipt-id:subscribed\n\n\0'));
      return { s, p };
    },
    message: (b) => Buffer.concat([Buffer.from(`MESSAGE\ndestination:/topic/p.s1.-\ncontent-length:${b.length}\n\n`), b, Buffer.from('\0\n')]),
    declares: (n) => Buffer.from(`MESSAGE\ndestination:/topic/p.s1.-\ncontent-length:${n}\n\n`),
  },
];

const held = (s: FakeSession) => (s.carry instanceof Carry ? s.carry.heldBytes : (s.carry?.length ?? 0));

for (const c of cases) {
  test(`${c.name}: valid messages (up to 200 KB) cut at arbitrary points arrive whole, in order, each once`, () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 2000 }), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 200_000 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (small, big, rawCuts) => {
          const payloads = [...small.map((b) => Buffer.from(b)), Buffer.alloc(big, 0x5a)];
          const stream = Buffer.concat(payloads.map((b) => c.message(b)));
          const { s, p } = c.ready();
          for (const chunk of splitAt(
            stream,
            rawCuts.map((x) => x % (stream.length + 1)),
          ))
            p.receive(s, chunk);
          const got = s.events.filter((e) => e.kind === 'message') as { payload: Buffer }[];
          assert.equal(got.length, payloads.length);
          for (const [i, m] of got.entries()) assert.ok(m.payload.equals(payloads[i]), `message ${i}`);
          assert.equal(held(s), 0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test(`${c.name}: arbitrary bytes cut at arbitrary points never throw, and what is held stays bounded`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 20 }), (bytes, rawCuts) => {
        const { s, p } = c.ready();
        const buf = Buffer.from(bytes);
        for (const chunk of splitAt(
          buf,
          rawCuts.map((x) => x % (buf.length + 1)),
        )) {
          p.receive(s, chunk);
          assert.ok(held(s) <= MAX_UNIT_BYTES + 70_000);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test(`${c.name}: a message declaring more than 16 MiB is refused from its head, before its bytes arrive in 64 KiB pieces`, () => {
    for (const declared of [MAX_UNIT_BYTES + 1, 256 * 1024 * 1024 - 1, 10 ** 14]) {
      if (c.name === 'MQTT' && declared > 268_435_455) continue;
      const { s, p } = c.ready();
      p.receive(s, c.declares(declared));
      const piece = Buffer.alloc(64 * 1024, 0x41);
      for (let i = 0; i < 64 && !s.kinds().includes('drop'); i++) p.receive(s, piece);
      assert.ok(s.kinds().includes('malformed'), `${declared}: ${s.kinds()}`);
      assert.ok(s.kinds().includes('drop'), `${declared}: ${s.kinds()}`);
      assert.ok(held(s) < 128 * 1024, `${declared}: ${held(s)} bytes held`);
    }
  });

  test(`${c.name}: a 4 MB message in 4 KB pieces is joined once, not at every piece (linear time)`, () => {
    const { s, p } = c.ready();
    const stream = c.message(Buffer.alloc(4 * 1024 * 1024, 0x33));
    p.receive(s, stream.subarray(0, 4096));
    const tail = s.carry;
    assert.ok(tail instanceof Carry, 'the unfinished message is held as a list of chunks');
    let at = 4096;
    for (; at + 4096 < stream.length; at += 4096) {
      p.receive(s, stream.subarray(at, at + 4096));
      // The same list grows; re-joining what is held at each of 1,024 pieces would copy about 2 GB.
      assert.equal(s.carry, tail);
    }
    p.receive(s, stream.subarray(at));
    assert.equal(s.events.filter((e) => e.kind === 'message').length, 1);
    assert.equal(s.carry, null);
  });
}
