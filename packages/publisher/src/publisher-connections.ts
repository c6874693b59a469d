import { WsClientConnection, type ServerAddress, type WsClientContext } from '@mdbench/core';

/** Opens `n` publisher connections (kernel-chosen local ports) and resolves once all are open. */
export function openPublisherConnections(
  n: number,
  servers: ServerAddress[],
  base: Omit<WsClientContext<WsClientConnection>, 'events'>,
  timeoutMs: number,
  onLost: (conn: WsClientConnection, cause: string, detail: string) => void,
): Promise<WsClientConnection[]> {
  return new Promise((resolve, reject) => {
    let opened = 0;
    let settled = false;
    const conns: WsClientConnection[] = [];
    const timer = setTimeout(() => fail(`only ${opened} of ${n} publisher connections opened within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const c of conns) c.abort('local');
      reject(new Error(why));
    };
    const ctx: WsClientContext<WsClientConnection> = {
      ...base,
      events: {
        onOpen: () => {
          if (++opened === n && !settled) {
            settled = true;
            clearTimeout(timer);
            resolve(conns);
          }
        },
        onMessage: () => {},
        onClose: (conn, cause, detail) => {
          if (!settled) fail(`publisher connection failed: ${cause}${detail ? ` (${detail})` : ''}`);
          else if (cause !== 'local') onLost(conn, cause, detail);
        },
      },
    };
    for (let j = 0; j < n; j++) {
      const s = servers[j % servers.length];
      const c = new WsClientConnection(ctx);
      conns.push(c);
      c.open({ host: s.host, port: s.port }, performance.now());
    }
  });
}
