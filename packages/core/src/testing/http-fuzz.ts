import net from 'node:net';

const PATHS = ['/', '//', '///x', '/events', '/%', '/%zz', '/?token=%', '/?a=b&&c', '//events?', '/stats', '/metrics', '/\u00ff', '*', 'http://x/', '/..', ''];
const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'G\u0000T', '', 'GET GET', 'OPTIONS'];
const HEADERS = [
  'Host: x',
  'Authorization: Bearer',
  'Authorization: ',
  'Content-Length: 5',
  'Content-Length: -1',
  'Transfer-Encoding: chunked',
  'X: \u0001\u0002',
  ': empty',
  'Connection: close',
];

/**
 * Sends `count` malformed or odd HTTP requests (request lines, paths, headers, cut-off bytes) to
 * 127.0.0.1:`port`, a few at a time, and resolves when every socket has closed or waited 250 ms.
 */
export async function fuzzHttp(port: number, count: number, seed = 1): Promise<void> {
  let x = seed >>> 0 || 1;
  const pick = <T>(list: readonly T[]): T => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return list[(x >>> 0) % list.length];
  };
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const headers = Array.from({ length: pick([0, 1, 2, 4]) }, () => pick(HEADERS));
      let text = `${pick(METHODS)} ${pick(PATHS)}${pick(['', '?token=', '#f', '\t'])} ${pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/9', ''])}\r\n${headers.join('\r\n')}\r\n\r\n`;
      text = pick([text, text.slice(0, text.length >> 1), text.replaceAll('\r\n', '\n'), `${text}abcde`]);
      const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.from(text, 'latin1')));
      const done = () => {
        clearTimeout(timer);
        s.destroy();
        resolve();
      };
      const timer = setTimeout(done, 250);
      s.on('data', () => {});
      s.on('error', done);
      s.on('close', done);
    });
  for (let i = 0; i < count; i += 32) await Promise.all(Array.from({ length: Math.min(32, count - i) }, one));
}
