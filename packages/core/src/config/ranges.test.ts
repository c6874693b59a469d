import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, compilePatternList, sliceSequence, toArray, MdbenchError } from '../internal.js';

const all = (p: string) => toArray(compilePatternList(p));

test('numeric range, the article form {1...N} and {a..b} agree', () => {
  assert.deepEqual(all('/p/s{1..3}/-'), ['/p/s1/-', '/p/s2/-', '/p/s3/-']);
  assert.deepEqual(all('/p/s{1...3}/-'), all('/p/s{1..3}/-'));
});

test('element i of 1.2 million subjects without building the list', () => {
  const s = compilePattern('/p/s{1...1200000}/-');
  assert.equal(s.count, 1_200_000);
  assert.equal(s.at(0), '/p/s1/-');
  assert.equal(s.at(1_199_999), '/p/s1200000/-');
  assert.equal(s.at(599_999), '/p/s600000/-');
});

test('IP alias ranges and lists', () => {
  const a = all('192.168.{10..30}.101');
  assert.equal(a.length, 21);
  assert.equal(a[0], '192.168.10.101');
  assert.equal(a[20], '192.168.30.101');
  assert.deepEqual(all('{a,b}-x'), ['a-x', 'b-x']);
  assert.deepEqual(all('x{,y}'), ['x', 'xy']);
});

test('zero padding follows the wider bound', () => {
  assert.deepEqual(all('{001..003}'), ['001', '002', '003']);
  assert.deepEqual(all('{08..11}'), ['08', '09', '10', '11']);
  assert.equal(compilePattern('{001..100}').at(99), '100');
  assert.deepEqual(all('{-01..01}'), ['-01', '000', '001']);
});

test('several braces give the cartesian product, last varying fastest', () => {
  assert.deepEqual(all('{a,b}{1..2}'), ['a1', 'a2', 'b1', 'b2']);
  assert.deepEqual(all('10.{0..1}.{5..6}.1'), ['10.0.5.1', '10.0.6.1', '10.1.5.1', '10.1.6.1']);
});

test('descending ranges, steps and letters', () => {
  assert.deepEqual(all('{3..1}'), ['3', '2', '1']);
  assert.deepEqual(all('{0..10..5}'), ['0', '5', '10']);
  assert.deepEqual(all('{10..0..5}'), ['10', '5', '0']);
  assert.deepEqual(all('{a..c}'), ['a', 'b', 'c']);
  assert.deepEqual(all('{5..5}'), ['5']);
});

test('pattern lists: commas and spaces outside braces separate patterns', () => {
  assert.deepEqual(all('127.0.0.{2..3}, ::1'), ['127.0.0.2', '127.0.0.3', '::1']);
  const s = compilePatternList('a{1..2} b{1..3}');
  assert.equal(s.count, 5);
  assert.equal(s.at(4), 'b3');
  assert.throws(() => s.at(5), RangeError);
  assert.throws(() => s.at(-1), RangeError);
});

test('errors say what is wrong', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['/p/s{1..3/-', /no matching "}"/],
    ['/p/s1..3}/-', /no matching "{"/],
    ['{a{1..2}}', /nests braces/],
    ['{abc}', /neither a range/],
    ['{1..b}', /two integers or two letters/],
    ['{1..5..0}', /step of 0/],
    ['{1..99999999999999999}', /too large/],
  ];
  for (const [p, re] of bad) {
    assert.throws(
      () => compilePatternList(p),
      (e: unknown) => e instanceof MdbenchError && re.test(e.message),
      p,
    );
  }
});

test('slice of a sequence', () => {
  const s = sliceSequence(compilePattern('s{1..10}'), 3, 4);
  assert.deepEqual(toArray(s), ['s4', 's5', 's6', 's7']);
  assert.throws(() => sliceSequence(compilePattern('s{1..10}'), 8, 4), RangeError);
});

test('property: at(i) equals the eager expansion for random ranges', () => {
  fc.assert(
    fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 7 }), (a, b, step) => {
      const s = compilePattern(`x{${a}..${b}..${step}}y`);
      const expected: string[] = [];
      for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) expected.push(`x${v}y`);
      assert.deepEqual(toArray(s), expected);
    }),
  );
});
