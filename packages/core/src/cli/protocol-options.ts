import { DEFAULT_PUBLISH, DEFAULT_REQUEST, DEFAULT_SUBSCRIPTION } from '../protocol/graphql-ws/codec.js';
import { SOCKET_IO_DEFAULTS } from '../protocol/socket-io/codec.js';
import { BUILT_IN_PROTOCOLS } from '../protocol/load.js';
import { DEFAULT_SSE_PATH } from '../protocol/plain/plain.js';
import { DEFAULT_PUBLISH_PATH } from '../protocol/http/http.js';
import { defineOptions, type ConfigOf } from '../config/option-spec.js';
import type { ProtocolOptions, Role } from '../protocol/protocol.js';

/** How the client and the publisher talk to the server: the protocol and its session settings. */
export const protocolSpecs = defineOptions([
  {
    name: 'protocol',
    key: 'Protocol',
    flag: 'protocol',
    short: 'p',
    type: 'string',
    default: 'native',
    choices: BUILT_IN_PROTOCOLS,
    otherChoice: 'PATH',
    arg: 'NAME',
    group: 'protocol',
    description:
      "wire protocol: mdbench's own, NATS, MQTT, STOMP, Socket.IO or GraphQL subscriptions (graphql-transport-ws) over WebSocket, or the path of a plug-in module (docs/protocols.md)",
  },
  {
    name: 'transport',
    key: 'Transport',
    flag: 'transport',
    type: 'enum',
    choices: ['websocket', 'sse', 'http'],
    default: 'websocket',
    group: 'protocol',
    description:
      'what connections speak: WebSocket; sse: subscribers over Server-Sent Events (a GET of --sse-path per connection, mdbench-client); http: publishers posting each message to --publish-path (mdbench-publisher)',
  },
  {
    name: 'ssePath',
    key: 'SsePath',
    flag: 'sse-path',
    type: 'string',
    default: DEFAULT_SSE_PATH,
    arg: 'TEMPLATE',
    group: 'protocol',
    description:
      'URL path of a subject for subscribers whose URL is the subscription (--transport sse, --protocol plain): {subject} as it is, {dotted} with dots for slashes',
  },
  {
    name: 'publishPath',
    key: 'PublishPath',
    flag: 'publish-path',
    type: 'string',
    default: DEFAULT_PUBLISH_PATH,
    arg: 'TEMPLATE',
    group: 'protocol',
    description: "URL path an HTTP publisher (--transport http) posts a subject's messages to: {subject}, {dotted}",
  },
  {
    name: 'qos',
    key: 'QoS',
    flag: 'qos',
    type: 'int',
    min: 0,
    max: 1,
    default: 0,
    arg: 'N',
    group: 'protocol',
    description: 'MQTT quality of service of subscriptions and publishes',
  },
  {
    name: 'mqttVersion',
    key: 'MqttVersion',
    flag: 'mqtt-version',
    type: 'enum',
    choices: ['3.1.1', '5'],
    default: '3.1.1',
    group: 'protocol',
    description: 'MQTT protocol version',
  },
  {
    name: 'clientIdPrefix',
    key: 'ClientIdPrefix',
    flag: 'client-id-prefix',
    type: 'string',
    default: 'mdbench',
    arg: 'TEXT',
    group: 'protocol',
    description: 'client ids are PREFIX-instance-worker-connection (MQTT client id, NATS name), unique across the fleet',
  },
  {
    name: 'user',
    key: 'User',
    flag: 'user',
    type: 'string',
    arg: 'NAME',
    group: 'protocol',
    description: "user name for the protocol's login (NATS user, MQTT username, STOMP login)",
  },
  {
    name: 'password',
    key: 'Password',
    flag: 'password',
    type: 'string',
    arg: 'TEXT',
    secret: true,
    group: 'protocol',
    description: "password for the protocol's login (NATS pass, MQTT password, STOMP passcode)",
  },
  {
    name: 'keepalive',
    key: 'KeepAlive',
    flag: 'keepalive',
    type: 'number',
    min: 1,
    max: 65535,
    arg: 'SECONDS',
    group: 'protocol',
    description:
      "keepalive period of idle connections: MQTT keepalive (PINGREQ), STOMP heart-beat, NATS PING, graphql-ws ping (unset: 30); the native protocol's time request, sent only by a connection that heard nothing in the period (unset: 120, so that 1,200,000 idle connections do not cost a core)",
  },
  {
    name: 'destination',
    key: 'Destination',
    flag: 'destination',
    type: 'string',
    default: '/topic/{dotted}',
    arg: 'TEMPLATE',
    group: 'protocol',
    description: 'STOMP destination of a subject: {subject} as it is, {dotted} without its leading slash and with dots for slashes',
  },
  {
    name: 'sioPath',
    key: 'SocketIO.Path',
    flag: 'sio-path',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.path,
    arg: 'PATH',
    group: 'protocol',
    description: "Socket.IO's path when the server address gives none (the server's `path` option)",
  },
  {
    name: 'sioNamespace',
    key: 'SocketIO.Namespace',
    flag: 'sio-namespace',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.namespace,
    arg: 'NAME',
    group: 'protocol',
    description: 'Socket.IO namespace to connect to',
  },
  {
    name: 'sioSubscribeEvent',
    key: 'SocketIO.SubscribeEvent',
    flag: 'sio-subscribe-event',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.subscribeEvent,
    arg: 'EVENT',
    group: 'protocol',
    description: 'event a Socket.IO subscriber emits with its subject (or list of subjects) and an acknowledgement',
  },
  {
    name: 'sioPublishEvent',
    key: 'SocketIO.PublishEvent',
    flag: 'sio-publish-event',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.publishEvent,
    arg: 'EVENT',
    group: 'protocol',
    description: 'event a Socket.IO publisher emits with (subject, payload)',
  },
  {
    name: 'sioRequestEvent',
    key: 'SocketIO.RequestEvent',
    flag: 'sio-request-event',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.requestEvent,
    arg: 'EVENT',
    group: 'protocol',
    description:
      'event a Socket.IO client emits with (subject, payload) and an acknowledgement for each request (--request-rate); the acknowledgement is the reply',
  },
  {
    name: 'sioMessageEvent',
    key: 'SocketIO.MessageEvent',
    flag: 'sio-message-event',
    type: 'string',
    default: SOCKET_IO_DEFAULTS.messageEvent,
    arg: 'EVENT',
    group: 'protocol',
    description: 'event a Socket.IO subscriber receives with (subject, payload)',
  },
  {
    name: 'gqlSubscription',
    key: 'GraphQL.Subscription',
    flag: 'gql-subscription',
    type: 'string',
    default: DEFAULT_SUBSCRIPTION,
    arg: 'QUERY',
    group: 'protocol',
    description: 'GraphQL subscription a graphql-ws subscriber starts per subject ($subject); the message is the first field of its data',
  },
  {
    name: 'gqlPublish',
    key: 'GraphQL.Publish',
    flag: 'gql-publish',
    type: 'string',
    default: DEFAULT_PUBLISH,
    arg: 'QUERY',
    group: 'protocol',
    description: 'GraphQL mutation a graphql-ws publisher sends per message ($subject, $payload)',
  },
  {
    name: 'gqlRequest',
    key: 'GraphQL.Request',
    flag: 'gql-request',
    type: 'string',
    default: DEFAULT_REQUEST,
    arg: 'QUERY',
    group: 'protocol',
    description: 'GraphQL operation a graphql-ws client sends per request (--request-rate; $subject, $payload): its result is the reply',
  },
]);

/** The protocol settings a client's or publisher's options give. */
export function protocolOptionsOf(
  cfg: ConfigOf<typeof protocolSpecs> & { token?: string; requestRate?: number; idleTimeout?: number },
  role: Role,
  window = 0,
): ProtocolOptions {
  return {
    idleS: cfg.idleTimeout ?? 0,
    role,
    requests: (cfg.requestRate ?? 0) > 0,
    qos: cfg.qos,
    mqttVersion: cfg.mqttVersion === '5' ? 5 : 4,
    keepaliveS: cfg.keepalive,
    window,
    user: cfg.user,
    password: cfg.password,
    token: cfg.token,
    destination: cfg.destination,
    socketIo: {
      path: cfg.sioPath,
      namespace: cfg.sioNamespace,
      subscribeEvent: cfg.sioSubscribeEvent,
      publishEvent: cfg.sioPublishEvent,
      messageEvent: cfg.sioMessageEvent,
      requestEvent: cfg.sioRequestEvent,
    },
    graphql: { subscription: cfg.gqlSubscription, publish: cfg.gqlPublish, request: cfg.gqlRequest },
    ssePath: cfg.ssePath,
    publishPath: cfg.publishPath,
  };
}

/**
 * The protocol a run speaks: `--protocol`, or what the transport implies (an event stream's
 * messages are plain events, an HTTP publisher's are POSTs). Returns the option and the problem
 * when the two disagree or the transport is not one the role has.
 */
export function protocolNameOf(cfg: ConfigOf<typeof protocolSpecs>, role: Role): { name: string; problem?: { option: string; message: string } } {
  const t = cfg.transport;
  const wanted = role === 'subscriber' ? 'sse' : 'http';
  if (t !== 'websocket' && t !== wanted) {
    const who = role === 'subscriber' ? 'mdbench-client' : 'mdbench-publisher';
    return { name: cfg.protocol, problem: { option: 'transport', message: `${who} speaks websocket or ${wanted}, not ${t}` } };
  }
  if (t === 'websocket') return { name: cfg.protocol };
  const implied = t === 'sse' ? 'plain' : 'http';
  if (cfg.protocol !== 'native' && cfg.protocol !== implied)
    return { name: implied, problem: { option: 'protocol', message: `--transport ${t} carries its own messages: --protocol ${cfg.protocol} does not apply` } };
  return { name: implied };
}
