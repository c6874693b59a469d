import { defineOptions, type ConfigOf } from '../config/option-spec.js';
import type { ProtocolOptions, Role } from '../protocol/protocol.js';

/** How the client and the publisher talk to the server: the protocol and its session settings. */
export const protocolSpecs = defineOptions([
  { name: 'protocol', key: 'Protocol', flag: 'protocol', short: 'p', type: 'string', default: 'native', choices: ['native', 'nats', 'mqtt', 'stomp'], otherChoice: 'PATH', arg: 'NAME', group: 'protocol', description: 'wire protocol: mdbench\'s own, NATS, MQTT or STOMP over WebSocket, or the path of a plug-in module (docs/protocols.md)' },
  { name: 'qos', key: 'QoS', flag: 'qos', type: 'int', min: 0, max: 1, default: 0, arg: 'N', group: 'protocol', description: 'MQTT quality of service of subscriptions and publishes' },
  { name: 'mqttVersion', key: 'MqttVersion', flag: 'mqtt-version', type: 'enum', choices: ['3.1.1', '5'], default: '3.1.1', group: 'protocol', description: 'MQTT protocol version' },
  { name: 'clientIdPrefix', key: 'ClientIdPrefix', flag: 'client-id-prefix', type: 'string', default: 'mdbench', arg: 'TEXT', group: 'protocol', description: 'client ids are PREFIX-instance-worker-connection (MQTT client id, NATS name), unique across the fleet' },
  { name: 'user', key: 'User', flag: 'user', type: 'string', arg: 'NAME', group: 'protocol', description: 'user name for the protocol\'s login (NATS user, MQTT username, STOMP login)' },
  { name: 'password', key: 'Password', flag: 'password', type: 'string', arg: 'TEXT', secret: true, group: 'protocol', description: 'password for the protocol\'s login (NATS pass, MQTT password, STOMP passcode)' },
  { name: 'keepalive', key: 'KeepAlive', flag: 'keepalive', type: 'number', min: 1, max: 65535, default: 30, arg: 'SECONDS', group: 'protocol', description: 'MQTT keepalive (PINGREQ), STOMP heart-beat and NATS PING period of idle connections' },
  { name: 'destination', key: 'Destination', flag: 'destination', type: 'string', default: '/topic/{dotted}', arg: 'TEMPLATE', group: 'protocol', description: 'STOMP destination of a subject: {subject} as it is, {dotted} without its leading slash and with dots for slashes' },
]);

/** The protocol settings a client's or publisher's options give. */
export function protocolOptionsOf(cfg: ConfigOf<typeof protocolSpecs> & { token?: string }, role: Role, window = 0): ProtocolOptions {
  return {
    role,
    qos: cfg.qos,
    mqttVersion: cfg.mqttVersion === '5' ? 5 : 4,
    keepaliveS: cfg.keepalive,
    window,
    user: cfg.user,
    password: cfg.password,
    token: cfg.token,
    destination: cfg.destination,
  };
}
