/** `bouncewatch serve`: the dashboard and API over an existing database, no ingest. */

import { loadConfig } from '../../config-load.js';
import { createEventBus } from '../../events.js';
import { createLogger } from '../../log.js';
import { intFlag, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { repairIndexesIfFree } from '../repair-indexes.js';
import { exitStatusOf } from '../stop-signals.js';
import { configStoreLocation, openStore } from '../store.js';
import { closeServer, httpFlags, listen, untilSignal } from './serve-common.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the dashboard and API only (no log reading)',
  help: `Usage: bouncewatch serve [--db FILE | --store URL] [--port N] [--bind ADDR] [--config FILE]

Serves the dashboard and the JSON API (/api/v1) over a database that another
process fills (bouncewatch follow or ingest). Over a PostgreSQL store (--store)
it holds no state of its own: several can serve the same fleet.

Options:
  --db FILE       SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
  --store URL     a PostgreSQL store shared by a fleet (default: $BOUNCEWATCH_STORE)
  --port N        port to listen on (default 8550)
  --bind ADDR     address to bind (default 127.0.0.1; any other address needs
                  credentials: auth.token or auth.user/auth.password in the config)
  --config FILE   JSON or YAML config file (default: $BOUNCEWATCH_CONFIG)
`,
  async run(argv, io) {
    const { values } = parseFlags(argv, httpFlags);
    const config = loadConfig({
      file: values.config,
      env: io.env,
      flags: {
        db: values.db,
        store: values.store,
        port: intFlag(values.port, 'port', 1, 65535),
        bind: values.bind,
      },
    });
    const log = createLogger({ level: config.logLevel, format: config.logFormat, destination: io.stderr });
    const store = await openStore(configStoreLocation(config, values));
    const bus = createEventBus();
    const { server, url, backend } = await listen({
      ...(store.db ? { db: store.db } : { store: store.served(Date.now) }),
      log,
      config,
      bus,
      following: false,
    });
    io.stderr.write(`bouncewatch: dashboard on ${url} (database ${store.label})\n`);
    const stopRepair = new AbortController();
    const repaired = store.db
      ? repairIndexesIfFree(store.db, 'serve', log, stopRepair.signal)
      : Promise.resolve();
    const signal = await untilSignal();
    await closeServer(server, backend);
    stopRepair.abort();
    await repaired;
    await store.close();
    return exitStatusOf(signal);
  },
};
