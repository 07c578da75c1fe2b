/** What `serve` and `run` share: flags for the HTTP side, locating the web bundle, listening and shutdown. */

import { existsSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../../db/sqlite/open.js';
import { checkBind, type Config } from '../../config.js';
import { ConfigError } from '../../config-load.js';
import type { EventBus } from '../../events.js';
import { createServer, type Server as Backend, type ServedStore } from '../../compose.js';
import type { Logger } from '../../log.js';
import { CliError } from '../args.js';
import { warmUp } from './warm-up.js';

export const httpFlags = {
  db: { type: 'string' },
  store: { type: 'string' },
  port: { type: 'string' },
  bind: { type: 'string' },
  config: { type: 'string' },
} as const;

/** dist/web, beside the compiled server (dist/server/cli/commands -> dist/web). */
function webRoot(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../../../web');
  if (!existsSync(join(root, 'index.html'))) {
    throw new CliError(`the dashboard is not built (${root} has no index.html): run 'npm run build'`);
  }
  return root;
}

export interface Listening {
  server: Server;
  url: string;
}

export interface ServeDeps {
  /** The SQLite database, or the store opened elsewhere (PostgreSQL). */
  db?: Db;
  store?: ServedStore;
  log: Logger;
  config: Config;
  bus: EventBus;
  /** Whether this process follows logs (health then watches ingest). */
  following: boolean;
}

/** Starts metrics, health and alerts, and serves the one app: the API, /healthz, /metrics and the dashboard. */
export async function listen(deps: ServeDeps): Promise<Listening & { backend: Backend }> {
  const bind = await checkBind(deps.config);
  if (bind.problem) throw new ConfigError([bind.problem]);
  const backend = createServer({ ...deps, webRoot: webRoot(), bindLoopback: bind.loopback });
  await backend.start();
  const server = createHttpServer(backend.door.listener);
  backend.door.watch(server);
  server.listen(deps.config.port, deps.config.bind);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new CliError(
          err.code === 'EADDRINUSE'
            ? `port ${deps.config.port} on ${deps.config.bind} is already in use (choose another with --port)`
            : `cannot listen on ${deps.config.bind}:${deps.config.port}: ${err.message}`,
        ),
      );
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : deps.config.port;
  const host = deps.config.bind.includes(':') ? `[${deps.config.bind}]` : deps.config.bind;
  const url = `http://${host}:${port}/`;
  // On a wildcard the warm-up asks over loopback, a name the Host check always answers.
  const local = deps.config.bind === '0.0.0.0' ? '127.0.0.1' : deps.config.bind === '::' ? '[::1]' : host;
  void warmUp(`http://${local}:${port}/`, deps.config, deps.log);
  return { server, url, backend };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function closeServer(server: Server, backend?: Backend): Promise<void> {
  backend?.stop();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
