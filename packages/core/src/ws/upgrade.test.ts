import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { acceptFor } from './handshake.js';
import { parseUpgradeRequest } from './upgrade.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const req = (extra = '', first = 'GET /chat HTTP/1.1', version = '13') =>
  Buffer.from(
    `${first}\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`,
  );
const policy = { subprotocols: ['mdbench.v1'] };

test('a valid upgrade: 101 with the accept of RFC 6455 section 1.3, the subprotocol chosen, the head length', () => {
  const data = Buffer.concat([req('Sec-WebSocket-Protocol: other, mdbench.v1\r\n'), Buffer.from([0x82, 0x80])]);
  const r = parseUpgradeRequest(data, policy);
  assert.ok(r?.ok);
  assert.equal(acceptFor(KEY), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(
    r.response,
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mdbench.v1\r\n\r\n',
  );
  assert.equal(r.headBytes, data.length - 2);
  assert.equal(r.path, '/chat');
  const none = parseUpgradeRequest(req(), policy);
  assert.ok(none?.ok && none.subprotocol === undefined && !none.response.includes('Sec-WebSocket-Protocol'));
});

test('refusals: 426 for no upgrade or another version, 400 for a bad key or method, 401 for a wrong token, 431 for a huge head', () => {
  const status = (b: Buffer, pol = policy) => {
    const r = parseUpgradeRequest(b, pol);
    return r && !r.ok ? r.status : r ? 101 : null;
  };
  assert.equal(status(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n')), 426);
  assert.equal(status(req('', 'GET / HTTP/1.1', '8')), 426);
  assert.match((parseUpgradeRequest(req('', 'GET / HTTP/1.1', '8'), policy) as { response: string }).response, /Sec-WebSocket-Version: 13/);
  assert.equal(status(req('', 'POST / HTTP/1.1')), 400);
  assert.equal(status(Buffer.from(req().toString().replace(KEY, 'short'))), 400);
  assert.equal(status(req(), { ...policy, token: 't' } as never), 401);
  assert.equal(status(req('Authorization: Bearer t\r\n'), { ...policy, token: 't' } as never), 101);
  assert.equal(status(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n'), Buffer.alloc(9000, 0x61)])), 431);
  assert.equal(status(Buffer.from('GET / HTTP/1.1\r\nHost')), null, 'an unfinished head waits');
  const garbage = parseUpgradeRequest(Buffer.from('\u0000\u0001 not http'), policy);
  assert.ok(garbage && !garbage.ok && garbage.response === null, 'bytes that are not HTTP are dropped without an answer');
});

test('fuzz: any bytes give null, a refusal or an acceptance, never an exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (b) => void parseUpgradeRequest(Buffer.from(b), policy)),
    { numRuns: 5000 },
  );
});
