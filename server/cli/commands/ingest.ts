/** `bouncewatch ingest`: import whole log files (plain or .gz) or stdin. */

import { join } from 'node:path';
import { maskUrl } from '../../../db/postgres/connect.js';
import { parseLine } from '../../../parsers/index.js';
import { createEventBus } from '../../events.js';
import { createIngest, type ImportPhase } from '../../ingest/engine.js';
import { notARegularFile } from '../../ingest/file-kind.js';
import { withHostId } from '../../ingest/host-id.js';
import type { ImportFileResult, ImportProgress } from '../../ingest/import.js';
import type { IngestSummary } from '../../ingest/ingest-summary.js';
import { filesWithoutMail, noMailAtAll, notAMailLog, summaryText } from './ingest-summary.js';
import { createLogger } from '../../log.js';
import { showControls } from '../../visible-text.js';
import { CliError, UsageError, intFlag, parseFlags } from '../args.js';
import type { Command } from '../command.js';
import { commandForUser } from '../invocation.js';
import { watchStopSignals } from '../stop-signals.js';
import { hostIdOf, openStore, STORE_HELP, storeFlags, storeLocation, type StoreLocation } from '../store.js';

const HELP = `Usage: bouncewatch ingest [--db FILE | --store URL [--host-id NAME]] [--year YYYY] [--show-unparsed] LOG... | -

Imports whole mail logs into the database: plain files, .gz files, globs, or
stdin ('-'); a FIFO is read as a stream, like stdin. Ends with what it read,
the time span it stored and the year it assumed for syslog times; a file with no Postfix or Exim line is named on stderr,
and when no input held one it exits with status 1. Rotated sets are read oldest first (mail.log.2.gz, mail.log.1,
mail.log). Each file is recognised by its first bytes, so importing it again
adds only the lines written since (nothing, if it did not grow). Stdin cannot
be recognised: feeding the same lines twice counts them twice.

Into a PostgreSQL store (--store), an import writes as its host's one writer:
while that host's agent runs, stop it first (the import refuses to write beside it).

Options:
  --db FILE        SQLite database (default: $BOUNCEWATCH_DB or ./bouncewatch.db)
${STORE_HELP}
  --year YYYY      year of the first syslog timestamps that carry none; it
                   advances where the times go back over New Year (default:
                   the one that puts each line at or before the file's
                   modification time; the summary says which year it took)
  --show-unparsed  after the summary, list the most frequent unparsed line shapes
`;

/** Why a named file was not read, after "skipped". */
const whySkipped = (f: ImportFileResult): string =>
  f.status === 'directory'
    ? `${f.path}: a directory; name the log files in it, such as ${join(f.path, 'mail.log*')}`
    : f.status === 'special' && f.kind !== undefined && f.kind !== 'file' && f.kind !== 'missing'
      ? `${notARegularFile(f.path, f.kind)}; name a log file, or pipe the log into 'ingest -'`
      : `${f.path}: no such file`;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60
    ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A one-line progress bar redrawn in place (only on a terminal). */
function createProgressBar(out: NodeJS.WritableStream, startMs: number) {
  const width = 24;
  let last = 0;
  let latest: ImportProgress | null = null;
  const draw = (frac: number, tail: string) => {
    const filled = Math.round(frac * width);
    const where = latest ? ` file ${latest.file}/${latest.files}  ${fmt(latest.linesRead)} lines ` : ' ';
    out.write(
      `\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%` +
        `${where} ${tail}`,
    );
  };
  return {
    update: (p: ImportProgress) => {
      latest = p;
      const t = Date.now();
      if (t - last < 200) return;
      last = t;
      const elapsed = (t - startMs) / 1000;
      const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
      const rate = elapsed > 0 ? p.linesRead / elapsed : 0;
      const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : Number.NaN;
      draw(frac, `${fmt(rate)} lines/s  ETA ${duration(eta)}   `);
    },
    /** Once every line is read: what is left to do, in place of the rate and ETA. */
    phase: (phase: ImportPhase) => {
      last = Date.now();
      draw(1, phase === 'writing' ? 'writing the last batches...' : 'building the indexes...');
    },
    clear: () => {
      if (last > 0) out.write('\r\x1b[K');
    },
  };
}

/** The flag that names the store again, for the hints the summary prints. */
const storeArgument = (l: StoreLocation) =>
  l.kind === 'sqlite' ? `--db ${l.file}` : `--store ${maskUrl(l.url)}`;

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import whole log files (plain or .gz) or stdin',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      db: { type: 'string' },
      ...storeFlags,
      year: { type: 'string' },
      'show-unparsed': { type: 'boolean' },
    });
    const year = intFlag(values.year, 'year', 1970, 2999);
    const showUnparsed = values['show-unparsed'] ?? false;
    if (positionals.length === 0 && !showUnparsed)
      throw new UsageError('name at least one LOG file, or - for stdin');
    if (positionals.includes('-') && positionals.length > 1)
      throw new UsageError("'-' (stdin) cannot be mixed with files");
    const location = storeLocation(values, io.env);
    const hostId = hostIdOf(values['host-id'], io.env, location);
    // The summary is the report here: only warnings go to the JSON log unless asked otherwise.
    const log = createLogger({ level: io.env['BOUNCEWATCH_LOG_LEVEL'] ?? 'warn', destination: io.stderr });
    // Signals are watched before the writer lock is taken: a stop that comes while the store opens still ends the
    // import the designed way (exit 130/143), never by the default handler.
    const stop = watchStopSignals();
    const store = await openStore(location, { writingAs: 'ingest' }).catch((err: unknown) => {
      stop.dispose();
      throw err;
    });
    try {
      const ingest = createIngest({
        store: await store.writer({ hostId, persistent: false, log }),
        log,
        bus: createEventBus(),
        ...(hostId ? { parse: withHostId(parseLine, hostId) } : {}),
      });
      let summary: IngestSummary | null = null;
      let files: ImportFileResult[] | null = null;
      let unchanged = 0;
      if (positionals.length === 1 && positionals[0] === '-') {
        summary = await ingest.ingestStream(io.stdin, {
          name: 'stdin',
          signal: stop.signal,
          ...(year !== undefined ? { year } : {}),
        });
      } else if (positionals.length > 0) {
        const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
        const bar = tty ? createProgressBar(io.stderr, Date.now()) : null;
        const result = await ingest.ingestFiles(positionals, {
          ...(year !== undefined ? { year } : {}),
          ...(bar ? { onProgress: bar.update, onPhase: bar.phase } : {}),
          signal: stop.signal,
        });
        bar?.clear();
        const skipped = result.files.filter(
          (f) => f.status === 'missing' || f.status === 'directory' || f.status === 'special',
        );
        unchanged = result.files.filter((f) => f.status === 'unchanged').length;
        // A stop that came before any file was opened (a FIFO with no writer yet) is a stop, not a missing file.
        if (!stop.signal.aborted && result.files.length === 0)
          throw new CliError(`no such file: ${positionals.join(', ')}`);
        if (!stop.signal.aborted && skipped.length === result.files.length)
          throw new CliError(skipped.map(whySkipped).join('; '));
        for (const f of skipped) io.stderr.write(`bouncewatch ingest: skipped ${whySkipped(f)}\n`);
        for (const f of filesWithoutMail(result.files))
          io.stderr.write(`bouncewatch ingest: ${notAMailLog(f.path)}\n`);
        summary = result;
        files = result.files;
      }
      if (summary) {
        if (stop.signal.aborted)
          io.stderr.write('bouncewatch ingest: interrupted; the lines read so far are saved\n');
        io.stdout.write(
          summaryText(summary, {
            unchanged,
            store: storeArgument(store.location),
            year,
            files,
            showingUnparsed: showUnparsed,
            command: commandForUser(io.env),
          }),
        );
        if (!stop.signal.aborted && noMailAtAll(summary, files)) {
          throw new CliError(
            files === null
              ? notAMailLog('stdin')
              : 'none of the files named held a Postfix or Exim line: name the mail log (often /var/log/mail.log or /var/log/exim4/mainlog)',
          );
        }
      }
      if (showUnparsed) {
        const reader = store.served(Date.now).reader;
        const { samples } = await reader.unparsedSamples({ program: null, limit: 50, offset: 0 });
        io.stdout.write(
          samples.length === 0 ? 'no unparsed lines stored\n' : 'most frequent unparsed line shapes:\n',
        );
        for (const s of samples) {
          const [program, reason, line] = [s.program, s.reason, s.line].map(showControls);
          io.stdout.write(`${String(s.count).padStart(8)}  ${program}  ${reason}\n          ${line}\n`);
        }
      }
      return stop.exitStatus(0);
    } finally {
      stop.dispose();
      await store.close();
    }
  },
};
