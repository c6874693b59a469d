import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MdbenchError } from '../errors.js';
import { BandwidthMeter, bandwidthMeterFor, interfaceFor, parseNetDev } from './bandwidth.js';

const dev = (
  lo: [number, number, number, number],
  eth: [number, number, number, number],
) => `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: ${lo[0]} ${lo[1]} 0 0 0 0 0 0 ${lo[2]} ${lo[3]} 0 0 0 0 0 0
  eth0: ${eth[0]} ${eth[1]} 0 0 0 0 0 0 ${eth[2]} ${eth[3]} 0 0 0 0 0 0
`;

test('/proc/net/dev: bytes and packets in and out per interface', () => {
  const m = parseNetDev(dev([1, 2, 3, 4], [10, 20, 30, 40]));
  assert.deepEqual(m.get('lo'), { rxBytes: 1, rxPackets: 2, txBytes: 3, txPackets: 4 });
  assert.deepEqual(m.get('eth0'), { rxBytes: 10, rxPackets: 20, txBytes: 30, txPackets: 40 });
});

test('rates per second between two readings', () => {
  let text = dev([0, 0, 0, 0], [1000, 10, 5000, 50]);
  const meter = new BandwidthMeter('eth0', 0, () => text);
  text = dev([0, 0, 0, 0], [3000, 30, 9000, 90]);
  assert.deepEqual(meter.take(2000), { interface: 'eth0', inBytesPerSec: 1000, outBytesPerSec: 2000, inPacketsPerSec: 10, outPacketsPerSec: 20 });
});

test('the interface of a run: lo for loopback, the default route otherwise; a named one that does not exist is exit 3', () => {
  assert.equal(interfaceFor('127.0.0.1', undefined), 'lo');
  assert.equal(interfaceFor('10.1.2.3', undefined, { route: 'Iface\tDestination\tGateway\neth7\t00000000\t0101A8C0\n' }), 'eth7');
  const text = dev([0, 0, 0, 0], [0, 0, 0, 0]);
  assert.throws(
    () => bandwidthMeterFor('wlan9', '127.0.0.1', undefined, 0, { file: 'command line', key: '--interface' }, () => text),
    (e: unknown) =>
      e instanceof MdbenchError &&
      e.exitCode === 3 &&
      e.toLine() === 'command line: --interface: network interface "wlan9" does not exist on this host (there are: lo, eth0)',
  );
  assert.equal(bandwidthMeterFor(undefined, '127.0.0.1', undefined, 0, { file: 'x' }, () => text)?.iface, 'lo');
});
