/** What `bouncewatch ingest` says when it is done: counts, the time span it stored, and which year it assumed. */

import type { ImportFileResult } from '../../ingest/import.js';
import { mailLines, type IngestSummary } from '../../ingest/ingest-summary.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pad = (n: number) => String(n).padStart(2, '0');

/** Local time to the minute, as the log lines read: 2026-11-27 06:00. */
function localTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface SummaryContext {
  /** Files already read to their end (nothing new in them). */
  unchanged: number;
  /** The flag that names the store (`--db FILE` or `--store URL`), for the hints. */
  store: string;
  /** --year, when given. */
  year: number | undefined;
  /** The files read, or null for stdin. */
  files: readonly ImportFileResult[] | null;
  /** The unparsed shapes are listed right after (--show-unparsed): no need to say how to see them. */
  showingUnparsed: boolean;
  /** How the user runs bouncewatch from where they are (`bouncewatch`, `npx bouncewatch`). */
  command: string;
}

/** How the year of times without one was decided, in words, or null when every line carried its year. */
function yearLine(s: IngestSummary, ctx: SummaryContext): string | null {
  if (s.oldestTs === null || s.newestTs === null) return null;
  const first = new Date(s.oldestTs).getFullYear();
  const last = new Date(s.newestTs).getFullYear();
  const years = first === last ? String(first) : `${first} to ${last}`;
  if (ctx.year !== undefined) {
    return first === last
      ? `${ctx.year} (from --year)`
      : `${years} (from --year ${ctx.year}; the year advanced where the times went back over New Year)`;
  }
  if (ctx.files === null) {
    return `${years}: syslog times carry no year, so the one that puts each line at or before today was taken; use --year to set it`;
  }
  const read = ctx.files.filter((f) => f.status === 'read' && f.mailLines > 0);
  if (read.length > 0 && read.every((f) => f.dated === true)) return null;
  const dates = [...new Set(read.map((f) => (f.mtimeMs === null ? '' : localTime(f.mtimeMs).slice(0, 10))))]
    .filter(Boolean)
    .slice(0, 3);
  const from = dates.length === 1 ? `the file's date (${dates[0]})` : "each file's date";
  return `${years}, from ${from}: syslog times carry no year; use --year to set it`;
}

export function summaryText(s: IngestSummary, ctx: SummaryContext): string {
  const recorded = s.recorded.delivery + s.recorded.reject + s.recorded.message + s.recorded.notification;
  const rate = s.seconds > 0 ? `, ${fmt(s.linesRead / s.seconds)} lines/s` : '';
  const lines = [
    `read      ${fmt(s.linesRead)} lines in ${s.seconds.toFixed(1)}s${rate}`,
    `recorded  ${fmt(recorded)} (${fmt(s.recorded.delivery)} deliveries, ${fmt(s.recorded.reject)} rejects, ${fmt(s.recorded.message)} message lines, ${fmt(s.recorded.notification)} notifications)`,
    `ignored   ${fmt(s.ignored)} (understood, nothing to record)`,
    `other     ${fmt(s.foreign)} (lines of other programs)`,
    `unparsed  ${fmt(s.unparsed)}` +
      (s.unparsed > 0 && !ctx.showingUnparsed
        ? ` (see them with: ${ctx.command} ingest ${ctx.store} --show-unparsed, or GET /api/v1/unparsed)`
        : ''),
  ];
  if (s.oldestTs !== null && s.newestTs !== null)
    lines.push(`stored    events from ${localTime(s.oldestTs)} to ${localTime(s.newestTs)} (local time)`);
  const year = yearLine(s, ctx);
  if (year) lines.push(`year      ${year}`);
  if (ctx.unchanged > 0) lines.push(`skipped   ${ctx.unchanged} file(s) already read to their end`);
  return lines.join('\n') + '\n';
}

/** The warning for a named input that held no line of Postfix or Exim. */
export const notAMailLog = (name: string): string =>
  `no Postfix or Exim line in ${name}: is this a mail log?`;

/** Files read this time that held no Postfix or Exim line (an empty file says nothing either way). */
export const filesWithoutMail = (files: readonly ImportFileResult[]): ImportFileResult[] =>
  files.filter((f) => f.status === 'read' && f.lines > 0 && f.mailLines === 0);

/** True when not one input of this run held a Postfix or Exim line (ingest then fails: exit 1). */
export function noMailAtAll(s: IngestSummary, files: readonly ImportFileResult[] | null): boolean {
  if (mailLines(s) > 0) return false;
  if (files === null) return s.linesRead > 0;
  // Files read before (unchanged) held mail then; a file that is only empty proves nothing.
  return files.every((f) => f.status !== 'unchanged') && filesWithoutMail(files).length > 0;
}
