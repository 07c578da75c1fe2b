/** `bouncewatch report`: write a deliverability report (html, md, json, csv), or mail it. */

import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { newestSchemaVersion, schemaVersion } from '../../../db/sqlite/migrate.js';
import type { Db } from '../../../db/sqlite/open.js';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { loadConfig } from '../../config-load.js';
import type { Config } from '../../config.js';
import { createPaniclogReader } from '../../mta/paniclog.js';
import type { WarningLike } from '../../mta/warning-shapes.js';
import { sendReportMail } from '../../report/mail.js';
import { REPORT_FORMATS, reportChunks, type ReportFormat } from '../../report/render.js';
import { addressCsvLines } from '../../report/render-csv.js';
import { renderHtml } from '../../report/render-html.js';
import { renderMarkdown } from '../../report/render-md.js';
import { EmptyDatabaseError, PeriodError, resolveRange } from '../../report/resolve.js';
import { classifierKnowledge } from '../../services/knowledge.js';
import { buildReport } from '../../services/report-model.js';
import { buildAddressList } from '../../services/report-addresses.js';
import { checkTimeZone, serverTimeZone } from '../../report/week.js';
import { CliError, parseFlags, UsageError, openDatabaseOrFail } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { openStore, storeLocation } from '../store.js';

const HELP = `Usage: bouncewatch report [--db FILE | --store URL] [--week YYYY-Www | --from T --to T | --all]
                          [--format html|md|json|csv] [--out FILE] [--addresses] [--mail-to ADDR]

Writes a deliverability report for one period, compared with the period of equal length before it.

Period (default: the last full ISO week, Monday to Sunday, in the server's time zone):
  --week 2026-W47     one ISO week
  --from T --to T     dates (2026-11-16; a --to date is included) or date-times (2026-11-16T08:00,
                      local unless they end in Z or an offset like +01:00)
  --all               everything in the database

Output:
  --format FMT        md (default; or picked from the --out file's extension), html, json, csv
                      json and csv list every domain and cause; md and html show the top ones
  --out FILE          write to FILE instead of standard output
  --addresses         write the hard-bounced addresses (a suppression list) as CSV instead
  --mail-to ADDR      mail the html report, with the md as its text part, through the local
                      sendmail (/usr/sbin/sendmail, or BOUNCEWATCH_SENDMAIL); repeat for several
  --tz ZONE           time zone for days and weeks (default: the server's, from TZ)
  --config FILE       JSON or YAML config, for its ownDomains and paniclog (default: $BOUNCEWATCH_CONFIG)
  --db FILE           database (default ./bouncewatch.db or BOUNCEWATCH_DB)
  --store URL         a PostgreSQL store shared by a fleet (default: $BOUNCEWATCH_STORE)`;

const FLAGS = {
  db: { type: 'string' },
  store: { type: 'string' },
  week: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  all: { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  addresses: { type: 'boolean' },
  'mail-to': { type: 'string', multiple: true },
  tz: { type: 'string' },
  config: { type: 'string' },
} as const;

const EXTENSIONS: Record<string, ReportFormat> = {
  html: 'html',
  htm: 'html',
  md: 'md',
  json: 'json',
  csv: 'csv',
};

function pickFormat(flag: string | undefined, out: string | undefined): ReportFormat {
  if (flag !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(flag)) {
      throw new UsageError(`--format takes ${REPORT_FORMATS.join(', ')}, not '${flag}'`);
    }
    return flag as ReportFormat;
  }
  const ext = out?.split('.').pop()?.toLowerCase();
  return (ext !== undefined && EXTENSIONS[ext]) || 'md';
}

/**
 * Opens the database read-only for a report. One at an older schema than this build's newest is first upgraded
 * through a writable connection (`openWritable`, which migrates it and says so on stderr), as any other command
 * would; when that fails (a read-only file or directory), the report stops with what to do instead.
 */
export function openReportDb(file: string, openWritable = openDatabaseOrFail): Db {
  if (file !== ':memory:' && !existsSync(file)) {
    throw new CliError(
      `no database at ${file}: import logs first (bouncewatch ingest --db ${file} LOG) or pass --db`,
    );
  }
  const db = openDatabaseOrFail({ file, readonly: true });
  const version = schemaVersion(db);
  if (version < 1) {
    db.close();
    throw new CliError(`${file} is not a bouncewatch database (no schema): import logs into it first`);
  }
  const newest = newestSchemaVersion();
  if (version >= newest) return db;
  db.close();
  try {
    openWritable({ file }).close();
  } catch (err) {
    const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CliError(
      `cannot upgrade ${file} from schema ${version} to schema ${newest}, which this bouncewatch needs (${reason}): ` +
        `open it once with write access, e.g. bouncewatch ingest --db ${file} --show-unparsed as the user that owns it, or restart the bouncewatch daemon (run, follow or serve) on it`,
      { cause: err },
    );
  }
  return openDatabaseOrFail({ file, readonly: true });
}

/** Pieces of text are written in blocks of about this many characters. */
const WRITE_BLOCK = 64 * 1024;

/**
 * Writes the output as its pieces come (a file with --out, else standard output), so that a long list is never
 * held whole as one text.
 */
function writeChunks(chunks: Iterable<string>, out: string | undefined, io: CliIo): void {
  const fd = out === undefined ? null : openSync(out, 'w');
  let block = '';
  const flush = () => {
    if (block === '') return;
    if (fd === null) io.stdout.write(block);
    else writeSync(fd, block);
    block = '';
  };
  try {
    for (const chunk of chunks) {
      block += chunk;
      if (block.length >= WRITE_BLOCK) flush();
    }
    flush();
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Exim's paniclog where the config reads it and this user may: its panics go into the Server section. */
async function readPanics(config: Config['paniclog'], now: number): Promise<readonly WarningLike[]> {
  if (!config.enabled) return [];
  return (await createPaniclogReader({ path: config.path, now: () => now }).read()).lines;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a deliverability report (html, md, json, csv)',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, FLAGS);
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`);
    const mailTo = values['mail-to'] ?? [];
    if (values.addresses && (values.format !== undefined || mailTo.length > 0)) {
      throw new UsageError('--addresses writes only the address list: drop --format and --mail-to');
    }
    for (const addr of mailTo) {
      if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(addr))
        throw new UsageError(`--mail-to takes an address, not '${addr}'`);
    }
    const format = pickFormat(values.format, values.out);
    const timeZone = values.tz ?? serverTimeZone();
    try {
      checkTimeZone(timeZone);
    } catch {
      throw new UsageError(`--tz takes a time zone like Europe/Berlin or UTC, not '${timeZone}'`);
    }
    // Only the own domains and the paniclog are read from the config: which deliveries are inbound is decided when
    // reporting, and the paniclog is not in the store. (Other settings come from flags and the report's variables.)
    const { ownDomains, paniclog } = loadConfig({
      file: values.config,
      env: { BOUNCEWATCH_CONFIG: io.env['BOUNCEWATCH_CONFIG'] },
    });
    const now = Date.now();
    const location = storeLocation(values, io.env);
    // A SQLite file is opened read-only (upgraded first when it must be); a PostgreSQL store migrates on open.
    const db = location.kind === 'sqlite' ? openReportDb(location.file) : null;
    const store = db ? null : await openStore(location);
    const local = db ? createSqliteReader(db, { now: () => now }) : null;
    const served = local ? { reader: local, triageReader: local } : store!.served(() => now);
    const reader = served.reader;
    const file = store ? store.label : (location as { file: string }).file;
    const importHint =
      location.kind === 'sqlite'
        ? `bouncewatch ingest --db ${file} LOG`
        : `bouncewatch ingest --store URL LOG`;
    try {
      let range;
      try {
        range = await resolveRange(reader, values, now, timeZone);
      } catch (err) {
        if (err instanceof PeriodError) throw new UsageError(err.message);
        if (err instanceof EmptyDatabaseError) {
          throw new CliError(`${file} holds no mail events yet: import logs first (${importHint})`);
        }
        throw err;
      }
      if (values.addresses) {
        // Only the list is read: the week's counts and texts would be built for nothing.
        if ((await reader.dataSpan()) === null) {
          throw new CliError(`${file} holds no mail events yet: import logs first (${importHint})`);
        }
        const list = await buildAddressList(reader, range, { timeZone, ownDomains: { ownDomains } });
        writeChunks(addressCsvLines(list), values.out, io);
        return 0;
      }
      const report = await buildReport(reader, range, {
        now,
        timeZone,
        knowledge: classifierKnowledge(),
        ownDomains: { ownDomains },
        triage: served.triageReader,
        panics: await readPanics(paniclog, now),
      });
      if (report.completeness.dataFrom === null) {
        throw new CliError(`${file} holds no mail events yet: import logs first (${importHint})`);
      }
      if (mailTo.length > 0) {
        try {
          await sendReportMail({
            report,
            to: mailTo,
            html: renderHtml(report),
            text: renderMarkdown(report),
            sendmail: io.env['BOUNCEWATCH_SENDMAIL'] ?? '/usr/sbin/sendmail',
            from: io.env['BOUNCEWATCH_MAIL_FROM'],
            now,
          });
        } catch (err) {
          throw new CliError(err instanceof Error ? err.message : String(err));
        }
        io.stderr.write(`bouncewatch report: mailed the ${report.label} report to ${mailTo.join(', ')}\n`);
        if (values.out === undefined) return 0;
      }
      writeChunks(reportChunks(report, format), values.out, io);
      return 0;
    } finally {
      db?.close();
      await store?.close();
    }
  },
};
