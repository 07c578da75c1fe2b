/** `bouncewatch follow`: follow live logs through rotation and store every outcome. */

import { createSqliteWriter } from '../../../db/sqlite/write/sqlite-writer.js';
import { createEventBus } from '../../events.js';
import { createIngest } from '../../ingest/engine.js';
import { createLogger } from '../../log.js';
import { UsageError, dbPath, intFlag, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { watchStopSignals } from '../stop-signals.js';
import { openForWriting } from '../writer-lock.js';

const HELP = `Usage: bouncewatch follow [--db FILE] [--journal] [--from-end] [--retain-days N] LOG...

Follows live mail logs through logrotate (create, with or without
delaycompress; copytruncate loses lines, see docs) and stores every outcome.
On the first start it reads the current file from its beginning (--from-end
skips that history); on every later start it resumes exactly where it stopped,
also when the log was rotated (once or twice, maybe compressed) meanwhile.
SIGTERM or SIGINT writes the last batch and the position, then exits 143 or 130.

Options:
  --db FILE          SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
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
    const file = dbPath(values.db, io.env);
    const log = createLogger({ destination: io.stderr });
    const { db, lock } = await openForWriting(file, 'follow');
    const stop = watchStopSignals((signal) => {
      log.info({ signal }, 'stopping: writing the last batch and position');
    });
    try {
      const ingest = createIngest({ store: createSqliteWriter(db), log, bus: createEventBus() });
      const follower = ingest.follow(positionals, {
        journal,
        signal: stop.signal,
        ...(values['from-end'] ? { fromEnd: true } : {}),
        ...(retainDays !== undefined ? { retainDays } : {}),
      });
      await follower.ready;
      log.info({ paths: journal ? ['journald'] : positionals, db: file }, 'following');
      await follower.done;
      log.info({ ...follower.summary }, 'stopped');
      return stop.exitStatus(0);
    } finally {
      stop.dispose();
      db.close();
      lock.release();
    }
  },
};
