import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanLifetimeS, parseLifetime, sampleLifetimeMs } from './lifetime.js';
import { mulberry32 } from '@mdbench/core/internal';

test('lifetimes: fixed, exponential and uniform, with units; their samples have the mean they say', () => {
  assert.deepEqual(parseLifetime('fixed:60s'), { kind: 'fixed', aS: 60, bS: 60, text: 'fixed:60s' });
  assert.equal(parseLifetime('exp:5m').aS, 300);
  assert.deepEqual([parseLifetime('uniform:500ms-2s').aS, parseLifetime('uniform:500ms-2s').bS], [0.5, 2]);
  const rand = mulberry32(7);
  for (const text of ['fixed:2s', 'exp:3s', 'uniform:1s-5s']) {
    const l = parseLifetime(text);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleLifetimeMs(l, rand);
    const mean = sum / 20_000 / 1000;
    assert.ok(Math.abs(mean - meanLifetimeS(l)) < 0.05 * meanLifetimeS(l), `${text}: mean ${mean}`);
  }
});

test('lifetimes that cannot be parsed say what is wrong', () => {
  assert.throws(() => parseLifetime('300s'), /not a lifetime: fixed:DURATION/);
  assert.throws(() => parseLifetime('exp:soon'), /"soon" is not a duration/);
  assert.throws(() => parseLifetime('uniform:30s'), /uniform takes a range/);
  assert.throws(() => parseLifetime('uniform:5s-1s'), /ends before it starts/);
  assert.throws(() => parseLifetime('fixed:0s'), /above zero/);
});
