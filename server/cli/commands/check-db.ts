/** `bouncewatch check-db`: whether a database file is damaged, and what to do when it is. */

import { existsSync } from 'node:fs';
import { checkIntegrity } from '../../../db/sqlite/integrity.js';
import { openDatabase } from '../../../db/sqlite/open.js';
import { CliError, dbPath, parseFlags, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { showControls } from '../../visible-text.js';

const HELP = `Usage: bouncewatch check-db [--db FILE] [--full]

Checks a database file for damage (SQLite's quick_check; --full runs the slower
integrity_check, which also compares every index with its table). It only reads.
Prints "ok" and exits 0, or the problems found, what to do, and exits 1.

Options:
  --db FILE   SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
  --full      also compare every index with its table (slower)
`;

/** What to do with a damaged file, step by step, with the file's own names in the commands. */
function advice(file: string): string {
  return [
    'What to do:',
    '  1. Stop every bouncewatch process that uses it (run, follow, ingest, serve).',
    `  2. If you have a backup of ${file}, put it back; then run bouncewatch again:`,
    '     it re-reads the logs from the positions saved in the backup.',
    '  3. Without a backup, recover what can be read into a new file with the sqlite3 tool:',
    `       sqlite3 '${file}' .recover | sqlite3 '${file}.recovered'`,
    `       bouncewatch check-db --db '${file}.recovered'`,
    `     then move ${file} aside and the recovered file in its place.`,
    '  4. Or start afresh: move the file aside and import the logs again (bouncewatch ingest).',
  ].join('\n');
}

export const checkDbCommand: Command = {
  name: 'check-db',
  summary: 'check a database for damage and say what to do',
  help: HELP,
  run(argv, io) {
    const { values, positionals } = parseFlags(argv, { db: { type: 'string' }, full: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const file = dbPath(values.db, io.env);
    if (!existsSync(file)) throw new CliError(`no such database: ${file}`);
    let problems: string[];
    try {
      const db = openDatabase({ file, readonly: true });
      try {
        problems = checkIntegrity(db, { full: values.full ?? false, limit: 20 });
      } finally {
        db.close();
      }
    } catch (err) {
      // Too damaged to open (a header overwritten, not a database at all).
      problems = [err instanceof Error ? err.message : String(err)];
    }
    if (problems.length === 0) {
      io.stdout.write(`${file}: ok\n`);
      return Promise.resolve(0);
    }
    io.stdout.write(
      `${file} is damaged:\n${problems.map((p) => `  ${showControls(p)}`).join('\n')}\n\n${advice(file)}\n`,
    );
    return Promise.resolve(1);
  },
};
