import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStream, EventStreamError } from './event-stream.js';
import { ResponseReader } from './response-reader.js';
import { buildStreamRequest, checkStreamResponse } from './http-head.js';

interface Seen {
  events: string[];
  retries: number[];
}

function reader(): { sink: { onEvent(d: Buffer): void; onRetry(ms: number): void }; seen: Seen } {
  const seen: Seen = { events: [], retries: [] };
  return {
    seen,
    sink: {
      onEvent: (d) => seen.events.push(d.toString('utf8')),
      onRetry: (ms) => seen.retries.push(ms),
    },
  };
}

/** `body` fed in pieces cut at `cuts` (offsets), each piece through a reused buffer as a socket's reads are. */
function feed(stream: EventStream, body: Buffer, cuts: number[], sink: Parameters<EventStream['push']>[3]): void {
  const shared = Buffer.alloc(body.length + 16);
  let from = 0;
  for (const to of [...cuts, body.length]) {
    body.copy(shared, 0, from, to);
    stream.push(shared, 0, to - from, sink);
    shared.fill(0x58); // the next read overwrites it: nothing may still point into it
    from = to;
  }
}

/** The same bytes as HTTP/1.1 chunks of random sizes. */
function chunked(body: Buffer, rand: () => number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const n = Math.min(body.length - at, 1 + Math.floor(rand() * 40));
    parts.push(Buffer.from(`${n.toString(16)}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const SAMPLE =
  ': comment, a keepalive\n' +
  'retry: 2500\n\n' +
  'id: a-1\ndata: MDB1 first\n\n' +
  'data: two\r\ndata: lines\r\n\r\n' + // CRLF lines, two data lines joined by LF
  'event: other\rid: a-3\rdata:no space\r\r' + // CR alone ends lines too
  'data\n\n' + // a field without a colon: empty data
  'id: b\n\n' + // an id with no data: no event, but the id is kept
  'data: after id\n\n' +
  'id: c\0d\n\n' + // an id with a NUL is ignored
  'data: unfinished'; // no blank line: never dispatched

const EXPECTED = ['MDB1 first', 'two\nlines', 'no space', '', 'after id'];

test('event-stream fields as HTML has them: data lines joined, ids kept, retry, comments, CR/LF/CRLF line ends', () => {
  const { sink, seen } = reader();
  const s = new EventStream(false, 1024, 1024);
  feed(s, Buffer.from(SAMPLE), [], sink);
  assert.deepEqual(seen.events, EXPECTED);
  assert.deepEqual(seen.retries, [2500]);
  assert.equal(s.lastId, 'b');
});

test('split anywhere, plain and chunked (fuzzed: 3,000 random cuttings): the same events every time, and nothing read from a reused buffer', () => {
  const rand = lcg(42);
  const body = Buffer.from(SAMPLE);
  for (let round = 0; round < 3000; round++) {
    const isChunked = round % 2 === 1;
    const bytes = isChunked ? chunked(body, rand) : body;
    const cuts = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 12) }, () => Math.floor(rand() * bytes.length)))].sort((a, b) => a - b);
    const { sink, seen } = reader();
    const s = new EventStream(isChunked, 1024, 1024);
    feed(s, bytes, cuts, sink);
    assert.deepEqual(seen.events, EXPECTED, `round ${round}, cuts ${cuts}`);
    assert.equal(s.lastId, 'b');
    if (isChunked) assert.equal(s.ended, true);
  }
});

test('bounds: a line without end, an event over its size, a malformed or overlong chunk size are errors, not growing buffers', () => {
  const { sink } = reader();
  const line = new EventStream(false, 100, 1000);
  line.push(Buffer.alloc(60, 0x61), 0, 60, sink);
  assert.throws(() => line.push(Buffer.alloc(60, 0x61), 0, 60, sink), EventStreamError);
  const event = new EventStream(false, 100, 150);
  assert.throws(() => event.push(Buffer.from(`data: ${'x'.repeat(80)}\ndata: ${'y'.repeat(80)}\n`), 0, 186, sink), /event data over 150 bytes/);
  const size = new EventStream(true, 100, 100);
  assert.throws(() => size.push(Buffer.from('zz\r\n'), 0, 4, sink), /malformed chunk size/);
  const long = new EventStream(true, 100, 100);
  assert.throws(() => long.push(Buffer.alloc(2000, 0x30), 0, 2000, sink), /chunk size line over/);
  const overrun = new EventStream(true, 100, 100);
  assert.throws(() => overrun.push(Buffer.from('2\r\nabc\r\n'), 0, 8, sink), /longer than its size/);
});

test('the stream request and response: Accept, Last-Event-ID without line breaks; 200 text/event-stream accepted, anything else refused by name', () => {
  const req = buildStreamRequest({ host: '127.0.0.1', port: 80, path: '/sub/x', lastEventId: 'a-1\r\nX: y', headers: { Authorization: 'Bearer t' } });
  assert.match(req, /^GET \/sub\/x HTTP\/1\.1\r\nHost: 127\.0\.0\.1:80\r\nAccept: text\/event-stream\r\n/);
  assert.match(req, /\r\nLast-Event-ID: a-1X: y\r\nAuthorization: Bearer t\r\n\r\n$/);
  const head = (s: string) => checkStreamResponse(Buffer.from(s));
  assert.equal(head('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream'), null, 'incomplete');
  assert.deepEqual(head('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\r\ndata'), { headBytes: 67, chunked: false });
  assert.deepEqual(head('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n'), { headBytes: 80, chunked: true });
  assert.throws(() => head('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n'), /not an event stream: Content-Type text\/html/);
  assert.throws(() => head('HTTP/1.1 404 Not Found\r\n\r\n'), /HTTP 404/);
  assert.throws(() => head('SSH-2.0-OpenSSH\r\n'), /not HTTP/);
  assert.throws(() => head(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(17_000)}`), /over 16384 bytes/);
});

test('pipelined responses (an HTTP publisher): each status in order, Content-Length and chunked bodies skipped, split anywhere', () => {
  const wire = Buffer.from(
    'HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello' +
      'HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n' +
      'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbad\r\n0\r\n\r\n' +
      'HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
  );
  const rand = lcg(7);
  for (let round = 0; round < 500; round++) {
    const r = new ResponseReader();
    const statuses: number[] = [];
    let from = 0;
    while (from < wire.length) {
      const to = Math.min(wire.length, from + 1 + Math.floor(rand() * 30));
      const shared = Buffer.from(wire.subarray(from, to));
      r.push(shared, 0, shared.length, (s) => statuses.push(s));
      shared.fill(0x58);
      from = to;
    }
    assert.deepEqual(statuses, [201, 202, 400, 201], `round ${round}`);
  }
  assert.throws(() => new ResponseReader().push(Buffer.from('garbage garbage\r\n\r\n'), 0, 19, () => {}), /not/);
});
