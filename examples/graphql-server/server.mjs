#!/usr/bin/env node
// A GraphQL server streaming subscriptions over WebSocket (graphql-js + graphql-ws over ws), with
// the schema mdbench's defaults speak (`--protocol graphql-ws`): a subscription per subject, and a
// mutation that publishes to it, through an in-memory pub/sub. Point mdbench at your own schema
// with --gql-subscription and --gql-publish.
//
// Usage: node examples/graphql-server/server.mjs [--port 4000] [--host 127.0.0.1]
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

const schema = buildSchema(`
  type Query { ok: Boolean, echo(subject: String!, payload: String!): String }
  type Mutation { publish(subject: String!, payload: String!): Boolean }
  type Subscription { messages(subject: String!): String }
`);

/** subject -> the pushes of its subscriptions. */
const topics = new Map();

/** An async iterator of one subscription's messages, registered at once (before the first await). */
function listen(subject) {
  const queue = [];
  let wake = null;
  const push = (payload) => {
    if (wake) {
      wake({ value: { messages: payload }, done: false });
      wake = null;
    } else queue.push(payload);
  };
  if (!topics.has(subject)) topics.set(subject, new Set());
  topics.get(subject).add(push);
  const stop = () => {
    topics.get(subject)?.delete(push);
    if (wake) wake({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => (queue.length ? Promise.resolve({ value: { messages: queue.shift() }, done: false }) : new Promise((r) => (wake = r))),
    return: stop,
    throw: stop,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const root = {
  ok: () => true,
  // A request's answer (mdbench-client --request-rate): its payload back.
  echo: ({ payload }) => payload,
  publish: ({ subject, payload }) => {
    for (const push of topics.get(subject) ?? []) push(payload);
    return true;
  },
  messages: ({ subject }) => listen(subject),
};

const wss = new WebSocketServer({ host: arg('host', '127.0.0.1'), port: Number(arg('port', '4000')), perMessageDeflate: false });
useServer({ schema, roots: { query: root, mutation: root, subscription: root } }, wss);
wss.on('listening', () => console.log(`graphql-ws server listening on ws://${wss.address().address}:${wss.address().port}/`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => wss.close(() => process.exit(0)));
