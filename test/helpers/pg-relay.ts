/** A TCP relay in front of the throwaway PostgreSQL, to take the store away from a writer and give it back. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A TCP relay to the server that can be cut (every connection dropped, no new ones) and restored. */
export function createRelay(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        const a = server!.address();
        port = typeof a === 'object' && a ? a.port : 0;
        resolve();
      });
    });
  return {
    open,
    url: (base: URL) => {
      const u = new URL(base);
      u.port = String(port);
      return u.toString();
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server?.close(resolve));
      server = null;
    },
  };
}
