/** What ingest has read and recorded: cumulative counts, and the share of one call (an import, a follower). */

export interface IngestSummary {
  linesRead: number;
  recorded: { delivery: number; reject: number; message: number; notification: number };
  ignored: number;
  unparsed: number;
  foreign: number;
  /** Wall time of the run so far. */
  seconds: number;
  /** The oldest and newest event time taken (unix ms), or null before the first dated line. */
  oldestTs: number | null;
  newestTs: number | null;
}

/** Lines a Postfix or Exim program wrote (understood or not), as opposed to other programs' lines. */
export const mailLines = (s: IngestSummary): number =>
  s.recorded.delivery +
  s.recorded.reject +
  s.recorded.message +
  s.recorded.notification +
  s.ignored +
  s.unparsed;

export function emptySummary(): IngestSummary {
  return {
    linesRead: 0,
    recorded: { delivery: 0, reject: 0, message: 0, notification: 0 },
    ignored: 0,
    unparsed: 0,
    foreign: 0,
    seconds: 0,
    oldestTs: null,
    newestTs: null,
  };
}

/** Forgets the time span taken so far: an import reports the span of its own lines. */
export function restartSpan(s: IngestSummary): void {
  s.oldestTs = null;
  s.newestTs = null;
}

/** A copy of the counts, with the seconds since `sinceMs`. */
export function snapshotSummary(s: IngestSummary, sinceMs: number, nowMs: number): IngestSummary {
  return { ...s, recorded: { ...s.recorded }, seconds: (nowMs - sinceMs) / 1000 };
}

/** What was counted between two snapshots (the seconds and the time span are the later one's). */
export function summaryDelta(before: IngestSummary, after: IngestSummary): IngestSummary {
  return {
    linesRead: after.linesRead - before.linesRead,
    recorded: {
      delivery: after.recorded.delivery - before.recorded.delivery,
      reject: after.recorded.reject - before.recorded.reject,
      message: after.recorded.message - before.recorded.message,
      notification: after.recorded.notification - before.recorded.notification,
    },
    ignored: after.ignored - before.ignored,
    unparsed: after.unparsed - before.unparsed,
    foreign: after.foreign - before.foreign,
    seconds: after.seconds,
    oldestTs: after.oldestTs,
    newestTs: after.newestTs,
  };
}
