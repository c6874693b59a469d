import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeText } from './safe-text.js';

test('escape sequences, control characters and bidi overrides are shown, not obeyed; long texts are cut', () => {
  assert.equal(safeText('\u001b]0;owned\u0007'), '\\x1b]0;owned\\x07');
  assert.equal(safeText('a\u001b[2Jb\r\nfake [INFO] line'), 'a\\x1b[2Jb\\x0d\\x0afake [INFO] line');
  assert.equal(safeText('x\u009by\u202ez\u0000'), 'x\\x9by\\u202ez\\x00');
  assert.equal(safeText('plain reason: Bad subject é'), 'plain reason: Bad subject é');
  assert.equal(safeText('y'.repeat(500), 10), `${'y'.repeat(10)}...`);
  assert.ok(!/[\u0000-\u001f]/.test(safeText(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => i)))));
});
