/** `bouncewatch follow`: follow live logs through rotation and store every outcome. */

import { parseLine } from '../../../parsers/index.js';
import { createEventBus } from '../../events.js';
import { createIngest } from '../../ingest/engine.js';
import { withHostId } from '../../ingest/host-id.js';
import { createLogger } from '../../log.js';
import { UsageError, intFlag, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { checkFollowable } from '../followable.js';
import { watchStopSignals } from '../stop-signals.js';
import { hostIdOf, openStore, STORE_HELP, storeFlags, storeLocation } from '../store.js';

const HELP = `Usage: bouncewatch follow [--db FILE | --store URL [--host-id NAME]] [--journal] [--from-end] [--retain-days N] LOG...

Follows live mail logs through logrotate (create, with or without
delaycompress; copytruncate loses lines, see docs) and stores every outcome.
On the first start it reads the current file from its beginning (--from-end
skips that history); on every later start it resumes exactly where it stopped,
also when the log was rotated (once or twice, maybe compressed) meanwhile.
SIGTERM or SIGINT writes the last batch and the position, then exits 143 or 130.

With --store, this is a fleet's agent: it writes its host's rows into the
shared PostgreSQL store, as the only writer for its host id (a second one
refuses). When the store is down it stops reading and tries again with backoff.

Options:
  --db FILE          SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
${STORE_HELP}
  --journal          follow journald (journalctl -f -o json, units postfix* and
                     exim*) instead of files; resumes by journal cursor
  --from-end         with no saved position yet, start at the end of the log
  --retain-days N    delete raw rows older than N days (rollups are kept)
`;

export const followCommand: Command = {
  name: 'follow',
  summary: 'follow live logs through rotation and store every outcome',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      ...storeFlags,
      journal: { type: 'boolean' },
      'from-end': { type: 'boolean' },
      'retain-days': { type: 'string' },
    });
    const journal = values.journal ?? false;
    const retainDays = intFlag(values['retain-days'], 'retain-days', 1, 36500);
    if (journal && positionals.length > 0)
      throw new UsageError('--journal follows journald: give no LOG files with it');
    if (!journal && positionals.length === 0)
      throw new UsageError('name at least one LOG file to follow (or --journal)');
    checkFollowable(positionals);
    const location = storeLocation(values, io.env);
    const hostId = hostIdOf(values['host-id'], io.env, location);
    const log = createLogger({ destination: io.stderr });
    const store = await openStore(location, { writingAs: 'follow' });
    const stop = watchStopSignals((signal) => {
      log.info({ signal }, 'stopping: writing the last batch and position');
    });
    try {
      const writer = await store.writer({ hostId, persistent: true, log });
      const ingest = createIngest({
        store: writer,
        log,
        bus: createEventBus(),
        ...(hostId ? { parse: withHostId(parseLine, hostId), hostId } : {}),
      });
      const follower = ingest.follow(positionals, {
        journal,
        signal: stop.signal,
        ...(values['from-end'] ? { fromEnd: true } : {}),
        ...(retainDays !== undefined ? { retainDays } : {}),
      });
      await follower.ready;
      log.info({ paths: journal ? ['journald'] : positionals, store: store.label, hostId }, 'following');
      await follower.done;
      log.info({ ...follower.summary }, 'stopped');
      return stop.exitStatus(0);
    } finally {
      stop.dispose();
      await store.close();
    }
  },
};
