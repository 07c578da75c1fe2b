/** `bouncewatch serve`: the dashboard and API over an existing database, no ingest. */

import { loadConfig } from '../../config-load.js';
import { createEventBus } from '../../events.js';
import { createLogger } from '../../log.js';
import { intFlag, parseFlags, openDatabaseOrFail } from '../args.js';
import type { Command } from '../command.js';
import { repairIndexesIfFree } from '../repair-indexes.js';
import { exitStatusOf } from '../stop-signals.js';
import { closeServer, httpFlags, listen, untilSignal } from './serve-common.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the dashboard and API only (no log reading)',
  help: `Usage: bouncewatch serve [--db FILE] [--port N] [--bind ADDR] [--config FILE]

Serves the dashboard and the JSON API (/api/v1) over a database that another
process fills (bouncewatch follow or ingest).

Options:
  --db FILE       SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
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
      flags: { db: values.db, port: intFlag(values.port, 'port', 1, 65535), bind: values.bind },
    });
    const log = createLogger({ level: config.logLevel, format: config.logFormat, destination: io.stderr });
    const db = openDatabaseOrFail({ file: config.db });
    const bus = createEventBus();
    const { server, url, backend } = await listen({ db, log, config, bus, following: false });
    io.stderr.write(`bouncewatch: dashboard on ${url} (database ${config.db})\n`);
    const stopRepair = new AbortController();
    const repaired = repairIndexesIfFree(db, 'serve', log, stopRepair.signal);
    const signal = await untilSignal();
    await closeServer(server, backend);
    stopRepair.abort();
    await repaired;
    db.close();
    return exitStatusOf(signal);
  },
};
