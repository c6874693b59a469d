import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpEndpoint } from './endpoint.js';
import { fuzzHttp } from '../testing/http-fuzz.js';

test('errors after the endpoint listens (an accept failing for want of descriptors) do not reach the process', async () => {
  const e = new HttpEndpoint([{ path: '/stats', contentType: 'application/json', body: () => '{}' }]);
  await e.listen('127.0.0.1', 0, 'monitor');
  const server = (e as unknown as { server: import('node:http').Server }).server;
  for (let i = 0; i < 3; i++) assert.doesNotThrow(() => server.emit('error', Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' })));
  assert.equal((await fetch(`${e.url}/stats`)).status, 200);
  e.close();
});

test('with a token every route asks for it, compared whole', async () => {
  const e = new HttpEndpoint(
    [
      { path: '/stats', contentType: 'application/json', body: () => '{}' },
      { path: '/metrics', contentType: 'text/plain', body: () => '' },
    ],
    'tok',
  );
  await e.listen('127.0.0.1', 0, 'monitor');
  for (const path of ['/stats', '/metrics']) {
    assert.equal((await fetch(`${e.url}${path}`)).status, 401);
    assert.equal((await fetch(`${e.url}${path}`, { headers: { Authorization: 'Bearer to' } })).status, 401);
    assert.equal((await fetch(`${e.url}${path}`, { headers: { Authorization: 'Bearer tokk' } })).status, 401);
    assert.equal((await fetch(`${e.url}${path}`, { headers: { Authorization: 'Bearer tok' } })).status, 200);
  }
  e.close();
});

test('malformed request lines, paths and headers are answered or closed, and the endpoint goes on', async () => {
  const e = new HttpEndpoint([{ path: '/stats', contentType: 'application/json', body: () => '{}' }], 'tok');
  await e.listen('127.0.0.1', 0, 'monitor');
  await fuzzHttp(e.port, 400, 11);
  assert.equal((await fetch(`${e.url}/stats`, { headers: { Authorization: 'Bearer tok' } })).status, 200);
  e.close();
});
