// A protocol plug-in for mdbench-client and mdbench-publisher (`--protocol ./json-protocol.mjs`):
// a simple JSON protocol over WebSocket text frames, the kind many in-house servers speak.
//
//   client -> server  {"op":"subscribe","channels":["/p/s1/-"]}
//   server -> client  {"op":"subscribed","channels":["/p/s1/-"]}
//   client -> server  {"op":"publish","channel":"/p/s1/-","stamp":"MDB1 ...","data":"..."}
//   server -> client  {"op":"message","channel":"/p/s1/-","stamp":"MDB1 ...","data":"..."}
//
// mdbench writes its stamp (publisher, sequence number, scheduled and send time) at the start of
// every payload, in text form here (`stamp: 'text'`, 57 printable bytes); this protocol carries it
// in a JSON field of its own and the rest of the payload in "data". Everything else (sockets,
// WebSocket frames, reconnects, timers, statistics) is mdbench's: a plug-in only reads and writes
// its own messages and says what they meant through the session (docs/protocols.md).

const STAMP = 57;

/** @public the plug-in API: mdbench calls create(options) by name */
export function create(_options) {
  return {
    name: 'json',
    subprotocol: undefined,
    text: true,
    stamp: 'text',

    /** The WebSocket is open: a subscriber subscribes to its channels at once. */
    open(s) {
      s.connected();
      if (s.role === 'subscriber') s.send(JSON.stringify({ op: 'subscribe', channels: s.topics }));
    },

    /** One whole WebSocket message from the server. */
    receive(s, data) {
      let m;
      try {
        m = JSON.parse(data.toString('utf8'));
      } catch {
        return s.malformed('not JSON');
      }
      if (m.op === 'subscribed') return s.subscribed();
      if (m.op === 'message' && typeof m.channel === 'string' && typeof m.data === 'string') {
        // The payload as mdbench wrote it: the stamp, then the data.
        return s.message(m.channel, Buffer.from((typeof m.stamp === 'string' ? m.stamp : '') + m.data, 'latin1'));
      }
      if (m.op === 'error') return s.error(`json error ${String(m.code ?? '')}`.trim(), String(m.text ?? ''));
      s.malformed(`unexpected op ${JSON.stringify(m.op)}`);
    },

    /** Bytes of one publish: mdbench's payloads are printable ASCII without quotes or backslashes, so they go into JSON strings as they are. */
    publishBytes(topic, payloadBytes) {
      return Buffer.byteLength(head(topic)) + STAMP + DATA.length + (payloadBytes - STAMP) + END.length;
    },

    writePublish(out, at, _s, topic, payload) {
      let p = at + out.write(head(topic), at, 'utf8');
      p += payload.copy(out, p, 0, STAMP);
      p += out.write(DATA, p, 'latin1');
      p += payload.copy(out, p, STAMP);
      return p + out.write(END, p, 'latin1');
    },
  };
}

const DATA = '","data":"';
const END = '"}';
const head = (topic) => `{"op":"publish","channel":${JSON.stringify(topic)},"stamp":"`;
