import { defineOptions } from '../config/option-spec.js';

/** Connection liveness and reconnection settings shared by the client and the publisher. */
export const reconnectSpecs = defineOptions([
  {
    name: 'handshakeTimeout',
    key: 'HandshakeTimeout',
    flag: 'handshake-timeout',
    type: 'number',
    min: 0.1,
    default: 10,
    arg: 'SECONDS',
    group: 'connections',
    description:
      "TCP connect, WebSocket upgrade and protocol session (up to the subscriptions acknowledged, or the publisher's session ready) must finish within this; past it the attempt counts as ETIMEDOUT or session-timeout and reconnects",
  },
  {
    name: 'reconnect',
    key: 'Reconnect',
    flag: 'reconnect',
    type: 'bool',
    default: true,
    group: 'connections',
    description: 'reconnect dropped connections (same local address and port), with exponential backoff and full jitter',
  },
  {
    name: 'reconnectMin',
    key: 'ReconnectMin',
    flag: 'reconnect-min',
    type: 'number',
    min: 0.001,
    default: 0.1,
    arg: 'SECONDS',
    group: 'connections',
    description: 'ceiling of the first reconnect delay; it doubles each failed attempt',
  },
  {
    name: 'reconnectMax',
    key: 'ReconnectMax',
    flag: 'reconnect-max',
    type: 'number',
    min: 0.001,
    default: 5,
    arg: 'SECONDS',
    group: 'connections',
    description: 'largest reconnect delay',
  },
]);
