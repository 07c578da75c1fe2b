/** In-memory sliding windows for the alert rules: sparse per-minute tallies, recent failure samples, the deferral backlog. */

import type { AttemptRow } from '../../db/store/stored-rows.js';

export const MINUTE = 60_000;

export interface Tally {
  sent: number;
  deferred: number;
  bounced: number;
  expired: number;
  /** Attempts whose cause was reputation-blocklist. */
  blocklisted: number;
  /** Attempts whose cause was authentication (SPF, DKIM, DMARC). */
  authFailed: number;
  causes: Map<string, number>;
}

/**
 * The causes of a stored minute's tally until it has one: most of a day's per-domain minutes are deliveries only,
 * and an empty Map each was a third of the windows' heap. Never written: `bump` gives a tally its own on first use.
 */
const NO_CAUSES: Map<string, number> = new Map();

const emptyTally = (causes: Map<string, number> = new Map()): Tally => ({
  sent: 0,
  deferred: 0,
  bounced: 0,
  expired: 0,
  blocklisted: 0,
  authFailed: 0,
  causes,
});

function addTally(into: Tally, from: Tally): void {
  into.sent += from.sent;
  into.deferred += from.deferred;
  into.bounced += from.bounced;
  into.expired += from.expired;
  into.blocklisted += from.blocklisted;
  into.authFailed += from.authFailed;
  for (const [c, n] of from.causes) into.causes.set(c, (into.causes.get(c) ?? 0) + n);
}

/** One failed attempt kept as an example reply. */
export interface Sample {
  ts: number;
  outcome: AttemptRow['outcome'];
  domain: string;
  provider: string | null;
  senderDomain: string | null;
  cause: string | null;
  code: string | null;
  blocklist: string | null;
  diagnostic: string;
}

/** Dimension keys: every tally is kept for all mail, per recipient domain and per provider. */
export const ALL = '*';
const domainKey = (d: string): string => `d:${d}`;
const providerKey = (p: string): string => `p:${p}`;

/** The provider an attempt is counted under: the classifier's, else the recipient domain. */
const providerOf = (a: { provider: string | null; recipientDomain: string }): string =>
  a.provider ?? a.recipientDomain;

const MAX_SAMPLES = 2_000;
const MAX_DIAGNOSTIC = 300;

/** Strips control characters and bounds the length: reply text is written by remote servers. */
function cleanText(text: string, max = MAX_DIAGNOSTIC): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface WindowStore {
  /** Adds counts for one attempt (or, from rollups, `count` attempts with no reply text). */
  add(e: {
    ts: number;
    outcome: AttemptRow['outcome'];
    domain: string;
    provider: string;
    cause: string | null;
    count?: number;
  }): void;
  addSample(s: Sample): void;
  /** Sum of one dimension over [from, to). */
  sum(dim: string, from: number, to: number): Tally;
  /** Tallies of every dimension with the prefix seen in [from, to). */
  byDim(prefix: string, from: number, to: number): Map<string, Tally>;
  /** Example replies in [from, to) that match, newest first. */
  samples(from: number, to: number, match: (s: Sample) => boolean, limit: number): Sample[];
  /** Forgets buckets and samples before `before`. */
  trim(before: number): void;
}

export function createWindowStore(): WindowStore {
  const buckets = new Map<number, Map<string, Tally>>();
  let samples: Sample[] = [];

  const bump = (
    minute: Map<string, Tally>,
    dim: string,
    outcome: AttemptRow['outcome'],
    cause: string | null,
    n: number,
  ) => {
    let t = minute.get(dim);
    if (!t) {
      t = emptyTally(NO_CAUSES);
      minute.set(dim, t);
    }
    t[outcome] += n;
    if (cause !== null && outcome !== 'sent') {
      if (t.causes === NO_CAUSES) t.causes = new Map();
      t.causes.set(cause, (t.causes.get(cause) ?? 0) + n);
      if (cause === 'reputation-blocklist') t.blocklisted += n;
      if (cause === 'authentication') t.authFailed += n;
    }
  };

  const eachBucket = (from: number, to: number, fn: (m: Map<string, Tally>) => void) => {
    for (const [bucket, m] of buckets) if (bucket >= from - (from % MINUTE) && bucket < to) fn(m);
  };

  return {
    add(e) {
      const bucket = e.ts - (e.ts % MINUTE);
      let minute = buckets.get(bucket);
      if (!minute) {
        minute = new Map();
        buckets.set(bucket, minute);
      }
      const n = e.count ?? 1;
      bump(minute, ALL, e.outcome, e.cause, n);
      if (e.domain !== '') bump(minute, domainKey(e.domain), e.outcome, e.cause, n);
      if (e.provider !== '') bump(minute, providerKey(e.provider), e.outcome, e.cause, n);
    },
    addSample(s) {
      samples.push({ ...s, diagnostic: cleanText(s.diagnostic) });
      if (samples.length > MAX_SAMPLES * 1.5) samples = samples.slice(-MAX_SAMPLES);
    },
    sum(dim, from, to) {
      const total = emptyTally();
      eachBucket(from, to, (m) => {
        const t = m.get(dim);
        if (t) addTally(total, t);
      });
      return total;
    },
    byDim(prefix, from, to) {
      const out = new Map<string, Tally>();
      eachBucket(from, to, (m) => {
        for (const [dim, t] of m) {
          if (!dim.startsWith(prefix)) continue;
          let acc = out.get(dim);
          if (!acc) {
            acc = emptyTally();
            out.set(dim, acc);
          }
          addTally(acc, t);
        }
      });
      return out;
    },
    samples(from, to, match, limit) {
      const out: Sample[] = [];
      for (let i = samples.length - 1; i >= 0 && out.length < limit; i--) {
        const s = samples[i]!;
        if (s.ts >= from && s.ts < to && match(s)) out.push(s);
      }
      return out;
    },
    trim(before) {
      for (const bucket of buckets.keys()) if (bucket < before - (before % MINUTE)) buckets.delete(bucket);
      if (samples.length > 0 && samples[0]!.ts < before) samples = samples.filter((s) => s.ts >= before);
    },
  };
}

/** A recipient whose latest attempt was a deferral: still waiting in some queue. */
export interface Pending {
  ts: number;
  queueId: string;
  domain: string;
  provider: string;
  cause: string | null;
  code: string | null;
  diagnostic: string;
}

export interface Backlog {
  /** Updates the backlog with one attempt; returns the entries an expiry removed. */
  apply(a: AttemptRow, code: string | null): Pending[];
  size(): number;
  entries(): IterableIterator<Pending>;
  /** Drops entries older than `before`. */
  trim(before: number): void;
  /** Records the size now; `sizeAt` answers from these samples. */
  record(at: number): void;
  /** The backlog size recorded at or just before `at`, or null when history does not reach back that far. */
  sizeAt(at: number): number | null;
}

const MAX_PENDING = 200_000;

export function createBacklog(): Backlog {
  const pending = new Map<string, Pending>();
  const byQueue = new Map<string, Set<string>>();
  let history: { at: number; size: number }[] = [];

  const remove = (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    pending.delete(key);
    const set = byQueue.get(p.queueId);
    set?.delete(key);
    if (set?.size === 0) byQueue.delete(p.queueId);
  };

  return {
    apply(a, code) {
      const key = `${a.host}\u0000${a.queueId}\u0000${a.recipient}`;
      if (a.outcome === 'deferred') {
        remove(key); // re-insert so Map order stays oldest-first
        pending.set(key, {
          ts: a.ts,
          queueId: `${a.host}\u0000${a.queueId}`,
          domain: a.recipientDomain,
          provider: providerOf(a),
          cause: a.cause,
          code,
          diagnostic: cleanText(a.diagnostic),
        });
        const q = `${a.host}\u0000${a.queueId}`;
        let set = byQueue.get(q);
        if (!set) {
          set = new Set();
          byQueue.set(q, set);
        }
        set.add(key);
        if (pending.size > MAX_PENDING) {
          const oldest = pending.keys().next();
          if (!oldest.done) remove(oldest.value);
        }
        return [];
      }
      if (a.outcome === 'expired') {
        // Postfix logs one expiry per message: every recipient still waiting in it gave up.
        const keys = [...(byQueue.get(`${a.host}\u0000${a.queueId}`) ?? [])];
        const gone = keys.flatMap((k) => {
          const p = pending.get(k);
          return p ? [p] : [];
        });
        for (const k of keys) remove(k);
        remove(key);
        return gone;
      }
      remove(key);
      return [];
    },
    size: () => pending.size,
    entries: () => pending.values(),
    trim(before) {
      for (const [key, p] of pending) {
        if (p.ts >= before) break;
        remove(key);
      }
    },
    record(at) {
      history.push({ at, size: pending.size });
      if (history.length > 10_000) history = history.slice(-5_000);
    },
    sizeAt(at) {
      let found: number | null = null;
      for (const h of history) {
        if (h.at > at) break;
        found = h.size;
      }
      return found;
    },
  };
}
