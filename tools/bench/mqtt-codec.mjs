#!/usr/bin/env node
// Why the publisher writes MQTT PUBLISH packets in place instead of calling mqtt-packet's generate:
// PUBLISH packets of 512-byte payloads per second, each way, in this process (one figure a line,
// the in-place writer's ratio to mqtt-packet's generate + copy measured in the same run). Also the
// subscriber's side: whole packets decoded by mqtt-packet's parser per second.
// Usage: node tools/bench/mqtt-codec.mjs [--seconds 3]
import mqttPacket from 'mqtt-packet';
import { BUILT_IN_PROTOCOLS } from '@mdbench/core/internal';
import { arg, figure } from '../harness/processes.mjs';

const seconds = Number(arg('seconds', '3'));
const payload = Buffer.alloc(512, 0x41);
const topic = '/p/s123456/-';
const opts = { role: 'publisher', qos: 1, mqttVersion: 4, keepaliveS: 30, window: 1000 };
const proto = BUILT_IN_PROTOCOLS.mqtt.create(opts);
const session = { data: 0 };
const out = Buffer.allocUnsafe(1 << 20);

function rate(fn) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) for (let i = 0; i < 1000; i++, n++) fn(i);
  return n / seconds;
}

let at = 0;
const generate = rate((i) => {
  const b = mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 1, messageId: (i % 65535) + 1, dup: false, retain: false }, { protocolVersion: 4 });
  if (at + b.length > out.length) at = 0;
  at += b.copy(out, at);
});
at = 0;
const inPlace = rate(() => {
  const n = proto.publishBytes(topic, payload.length);
  if (at + n > out.length) at = 0;
  at = proto.writePublish(out, at, session, topic, payload);
});
const packet = mqttPacket.generate({ cmd: 'publish', topic, payload, qos: 0, dup: false, retain: false }, { protocolVersion: 4 });
const parser = mqttPacket.parser({ protocolVersion: 4 });
let parsed = 0;
parser.on('packet', () => parsed++);
const parse = rate(() => parser.parse(packet));

figure('mqtt_publish_generate_per_sec', Math.round(generate), 'packets/s (mqtt-packet generate + copy into the batch)');
figure('mqtt_publish_in_place_per_sec', Math.round(inPlace), 'packets/s (written in place)');
figure('mqtt_publish_in_place_ratio', inPlace / generate, 'x generate');
figure('mqtt_parse_publish_per_sec', Math.round(parse), `packets/s (mqtt-packet parser, whole 512-byte PUBLISH packets; ${parsed} parsed)`);
