import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AddressPlan, MdbenchError, SubjectPlan, compilePattern, slicePart } from '../internal.js';

test('each address uses explicit successive ports; connections interleave over addresses', () => {
  const p = new AddressPlan({ localAddresses: ['127.0.0.2', '127.0.0.3'], ports: { from: 500, to: 65535 }, clients: 6 });
  const got = Array.from({ length: 6 }, (_, i) => `${p.addressOf(i)}:${p.portOf(i)}`);
  assert.deepEqual(got, ['127.0.0.2:500', '127.0.0.3:500', '127.0.0.2:501', '127.0.0.3:501', '127.0.0.2:502', '127.0.0.3:502']);
  assert.equal(p.capacity, 2 * 65036);
  assert.ok(p.fits);
});

test('every planned (address, port) is distinct and inside the range', () => {
  const p = new AddressPlan({ localAddresses: ['a', 'b', 'c'], ports: { from: 1000, to: 1099 }, excludePorts: [1010, 1050], clients: 294 });
  const seen = new Set<string>();
  for (let i = 0; i < p.clients; i++) {
    const port = p.portOf(i);
    assert.ok(port >= 1000 && port <= 1099 && port !== 1010 && port !== 1050, `port ${port}`);
    seen.add(`${p.addressOf(i)}:${port}`);
  }
  assert.equal(seen.size, 294);
  assert.equal(p.capacity, 3 * 98);
});

test('the article: 21 aliases x ports 500-65535 cover 1.2 million clients', () => {
  const addrs = Array.from({ length: 21 }, (_, k) => `192.168.${10 + k}.101`);
  const p = new AddressPlan({ localAddresses: addrs, ports: { from: 500, to: 65535 }, clients: 1_200_000 });
  assert.ok(p.fits);
  assert.equal(p.portOf(1_199_999), 500 + Math.floor(1_199_999 / 21));
});

test('a plan that cannot cover Clients is refused with how many addresses it needs', () => {
  const p = new AddressPlan({ localAddresses: ['127.0.0.2'], ports: { from: 10000, to: 10999 }, clients: 2500 });
  assert.equal(p.fits, false);
  assert.throws(
    () => p.assertFits(),
    (e: unknown) =>
      e instanceof MdbenchError && e.code === 'MDB_PLAN_SHORT' && /cover 1000 connections, but Clients is 2500: use at least 3 addresses/.test(e.message),
  );
});

test('no local addresses: the kernel chooses', () => {
  const p = new AddressPlan({ localAddresses: [], ports: { from: 1024, to: 65535 }, clients: 10 });
  assert.equal(p.addressOf(3), undefined);
  assert.equal(p.portOf(3), 0);
  assert.ok(p.fits);
});

test('slicing covers [0, total) exactly once, sizes differ by at most one', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 1, max: 64 }), (total, parts) => {
      let next = 0;
      const sizes: number[] = [];
      for (let k = 0; k < parts; k++) {
        const s = slicePart(total, parts, k);
        assert.equal(s.from, next);
        next += s.count;
        sizes.push(s.count);
      }
      assert.equal(next, total);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }),
  );
});

test('one-to-one subjects and reproducible random subjects', () => {
  const subjects = compilePattern('/p/s{1..1200000}/-');
  const one = new SubjectPlan({ subjects, perClient: 1, oneToOne: true, seed: 1 });
  assert.deepEqual(one.subjectsOf(0), ['/p/s1/-']);
  assert.deepEqual(one.subjectsOf(1_199_999), ['/p/s1200000/-']);
  const two = new SubjectPlan({ subjects, perClient: 2, oneToOne: true, seed: 1 });
  assert.deepEqual(two.subjectsOf(1), ['/p/s3/-', '/p/s4/-']);
  const rnd = new SubjectPlan({ subjects: compilePattern('s{1..10}'), perClient: 3, oneToOne: false, seed: 7 });
  const a = rnd.subjectsOf(42);
  assert.deepEqual(rnd.subjectsOf(42), a);
  assert.equal(new Set(a).size, 3);
  assert.throws(() => new SubjectPlan({ subjects: compilePattern('s{1..2}'), perClient: 3, oneToOne: false, seed: 1 }), /exceeds/);
});
