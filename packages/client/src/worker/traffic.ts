import type { Clock, RunProtocol } from '@mdbench/core/worker';
import type { ClientConfig } from '../options.js';
import { KeepaliveWheel } from './keepalive-wheel.js';
import type { MessageSink } from './message-sink.js';
import { ClientPublishing } from './publishing.js';
import { ClientRequests } from './requests.js';
import type { Subscriber } from './subscriber.js';

/** The connections' own traffic: publishing (--publish-rate) and requests (--request-rate), each null when off. */
export function trafficOf(
  options: ClientConfig,
  protocol: RunProtocol,
  clock: Clock,
  sink: MessageSink,
): { publishing: ClientPublishing | null; requests: ClientRequests | null } {
  const { messageSize } = options;
  const counters = sink.counters;
  return {
    publishing: options.publishRate > 0 ? new ClientPublishing({ protocol, rate: options.publishRate, messageSize, clock, counters }) : null,
    requests:
      options.requestRate > 0
        ? new ClientRequests({ protocol, rate: options.requestRate, timeoutS: options.requestTimeout, messageSize, clock, counters, rtt: sink.rtt })
        : null,
  };
}

/** The worker's keepalives (an event stream's idle check), by what the protocol says of them. */
export function keepaliveWheelOf(protocol: RunProtocol, clock: Clock): KeepaliveWheel {
  const ms = protocol.keepaliveMs;
  const dead = !protocol.keepaliveAnswered
    ? null
    : protocol.can.subscribeByPath
      ? (c: Subscriber) => c.abort('idle-timeout', `nothing heard from the server, no event and no comment, for ${((ms * 2) / 1000).toFixed(0)} s`)
      : (c: Subscriber) => c.abort('keepalive-timeout', `nothing heard from the server for ${(ms / 1000).toFixed(0)} s after a keepalive`);
  return new KeepaliveWheel(ms, clock, (c) => protocol.keepalive?.(c), dead, protocol.keepaliveWhenQuiet);
}
