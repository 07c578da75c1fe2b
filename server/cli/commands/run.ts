/** `bouncewatch run`: follow the mail log and serve the dashboard in one process (what `npm start` runs). */

import { accessSync, constants } from 'node:fs';
import { loadConfig } from '../../config-load.js';
import { DEMO_FILES, startDemoTraffic, writeDemoHistory } from '../../demo/demo-log.js';
import { createEventBus } from '../../events.js';
import { createLogger } from '../../log.js';
import { CliError, intFlag, parseFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { commandForUser } from '../invocation.js';
import { checkFollowable } from '../followable.js';
import { startIngestThread } from '../ingest-thread.js';
import { exitStatusOf } from '../stop-signals.js';
import { configStoreLocation, hostIdOf, openStore } from '../store.js';
import { closeServer, httpFlags, listen, untilSignal } from './serve-common.js';

const SYSTEM_LOG = '/var/log/mail.log';

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'follow logs and serve the dashboard (what npm start runs)',
  help: `Usage: bouncewatch run [--db FILE | --store URL [--host-id NAME]] [--port N] [--bind ADDR] [--config FILE] [--from-end] [--demo] [LOG...]

Follows the mail logs through rotation, stores every delivery outcome and serves
the dashboard on http://127.0.0.1:8550.

Which logs: the LOG arguments, else "logs" from the config, else ${SYSTEM_LOG}
when it is readable. When none is readable (or with --demo) it runs a demo: a
week of generated traffic ending now plus new traffic as it happens, stored in
${DEMO_FILES.db} (rebuilt at every demo start, never mixed with real data; the
demo refuses --db so it can never overwrite a database you named).

On its first start it reads the current log from its beginning (--from-end
skips the history); later starts resume from the saved position.

Options:
  --db FILE       SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
  --store URL     a PostgreSQL store shared by a fleet (default: $BOUNCEWATCH_STORE)
  --host-id NAME  this host's name in the store (default: $BOUNCEWATCH_HOST_ID,
                  else the machine's host name with --store)
  --port N        port to listen on (default 8550)
  --bind ADDR     address to bind (default 127.0.0.1; any other address needs
                  credentials: auth.token or auth.user/auth.password in the config)
  --config FILE   JSON or YAML config file (default: $BOUNCEWATCH_CONFIG)
  --from-end      on the first start, skip what the log already holds
  --demo          run the demo even when a mail log is readable
`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      ...httpFlags,
      'host-id': { type: 'string' },
      'from-end': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
    });
    let config = loadConfig({
      file: values.config,
      env: io.env,
      flags: {
        db: values.db,
        store: values.store,
        hostId: values['host-id'],
        port: intFlag(values.port, 'port', 1, 65535),
        bind: values.bind,
        logs: positionals,
      },
    });
    const log = createLogger({ level: config.logLevel, format: config.logFormat, destination: io.stderr });
    let logs: readonly string[] =
      config.logs.length > 0 ? config.logs : readable(SYSTEM_LOG) ? [SYSTEM_LOG] : [];
    // The demo rebuilds its database at every start: it must never be pointed at a database someone named.
    const namedDb =
      values.db !== undefined || Boolean(io.env['BOUNCEWATCH_DB']) || config.store !== undefined;
    if (values.demo && namedDb) {
      throw new UsageError(
        `--demo keeps its own database (${DEMO_FILES.db}); leave out --db, --store, BOUNCEWATCH_DB and BOUNCEWATCH_STORE`,
      );
    }
    if (logs.length === 0 && namedDb) {
      throw new CliError(
        `nothing to follow: ${SYSTEM_LOG} is not readable and no LOG was given (name a log, or use --demo without --db)`,
      );
    }
    checkFollowable(logs);
    const demo = values.demo || logs.length === 0;
    let stopDemo = (): void => undefined;
    if (demo) {
      const now = Math.floor(Date.now() / 60_000) * 60_000;
      const files = DEMO_FILES;
      await writeDemoHistory(files, now);
      stopDemo = startDemoTraffic(files, now);
      config = Object.freeze({ ...config, db: files.db });
      logs = [files.log];
      io.stderr.write(
        (values.demo
          ? 'bouncewatch: running the demo with generated traffic\n'
          : `bouncewatch: no readable ${SYSTEM_LOG} and no logs given: running the demo with generated traffic\n`) +
          `bouncewatch: demo database ${files.db} (try: ${commandForUser(io.env)} report --all --format md --db ${files.db})\n`,
      );
    }

    const location = configStoreLocation(config, demo ? {} : values);
    const hostId = hostIdOf(config.hostId, io.env, location);
    // Watched from here on: a stop that comes while the store opens still ends with the last batch written.
    const signalled = untilSignal();
    const store = await openStore(location, { writingAs: 'run' });
    const bus = createEventBus();
    // Ingest reads, parses and writes on a thread of its own: this one only serves (ingest-thread.ts).
    const ingest = startIngestThread(
      {
        location,
        hostId,
        paths: [...logs],
        fromEnd: values['from-end'],
        retainDays: config.retainDays,
        internalRelays: [...config.internalRelays],
        logLevel: config.logLevel,
        logFormat: config.logFormat,
        tty: Boolean((io.stderr as { isTTY?: boolean }).isTTY),
      },
      { bus, log, onStale: (from) => store.forget(from) },
    );
    try {
      await ingest.opened;
    } catch (err) {
      await ingest.stop();
      await store.close();
      throw err;
    }
    // Alerts listen before the first line is read, so the catch-up fills their windows; they judge once it is done.
    const { server, url, backend } = await listen({
      ...(store.db ? { db: store.db } : { store: store.served(Date.now) }),
      log,
      config,
      bus,
      following: true,
    });
    backend.operations.alerts.afterCatchUp(ingest.ready.then(() => undefined));
    io.stderr.write(`bouncewatch: following ${logs.join(', ')}\nbouncewatch: dashboard on ${url}\n`);
    ingest.ready.then(
      (s) => {
        io.stderr.write(
          `bouncewatch: caught up: ${s.linesRead} lines read, ${s.unparsed} not understood; following new lines\n`,
        );
      },
      (err: unknown) => {
        log.error({ err }, 'catch-up failed');
      },
    );

    const signal = await signalled;
    log.info({ signal }, 'shutting down');
    stopDemo();
    await ingest.stop();
    await closeServer(server, backend);
    await store.close();
    return exitStatusOf(signal);
  },
};
