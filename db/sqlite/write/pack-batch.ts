/**
 * A batch as the writer takes it: row objects flattened into one array of column values per table, and the
 * rollup cells counted. Pure JavaScript with no database, so it can run on the thread that parses while
 * another thread writes; flat arrays of plain values are also what crosses to that thread cheaply.
 */

import type { Batch } from '../../store/batch.js';
import type { SourceCheckpoint } from '../../store/checkpoints.js';
import type { TriageFacts } from '../../store/triage.js';
import {
  ATTEMPT_NOTICE,
  attemptRollupOutcome,
  rollupCode,
  type AttemptRow,
  type FlowFacts,
  type MessageRow,
  type RejectRow,
  type RollupOutcome,
  type Tally,
} from '../../store/stored-rows.js';
import type { Outcome } from '../../../parsers/types.js';
import { ATTEMPT_COLUMNS, REJECT_COLUMNS, TALLY_FIELDS } from './columns.js';
import { createRollupCounter, type RollupCounter, type RollupRows } from './rollup-counter.js';

export type Value = string | number | null;

/** A value as a table stores it: a packed value, or a blob (a packed text, a delay histogram's counts). */
export type Stored = Value | Buffer;

/**
 * One batch, flattened. Message ids below zero are placeholders for lives new in this batch or a recent one:
 * the writer numbers them inside its transaction (after the largest id, as SQLite would) and reports the first
 * id it gave, so the ids stay right when another process writes the same database.
 */
export interface PackedBatch {
  attempts: Value[];
  rejects: Value[];
  minute: Value[];
  hour: Value[];
  day: Value[];
  messages: Value[];
  /** Lines counted apart, TALLY_FIELDS values each (ts, host, domain, outcome). */
  tallies: Value[];
  /** Own-domain facts: domain_facts, client_domains and authenticated_clients rows, flattened. */
  domainFacts: Value[];
  clientDomains: Value[];
  authenticatedClients: Value[];
  /**
   * Null when minute, hour and day hold the batch's rollup rows; else they are empty and the writer counts
   * them from the attempts and rejects (see packBatch), minutes from this time on.
   */
  countRollupsFrom: number | null;
  /** Placeholder of the first life new in this batch (the next ones count down from it), and how many. */
  firstPlaceholder: number;
  newLives: number;
  unparsedCounts: [string, number][];
  unparsedSamples: Value[];
  lineStats: [string, number][];
  checkpoint: SourceCheckpoint | null;
  /** Warning shapes, session counts and sender figures, summed per hour by ingest. */
  triage?: TriageFacts | null;
}

/** Hands out message id placeholders (-1, -2, ...) for one writer's lifetime. */
export interface Placeholders {
  next: number;
}

export const createPlaceholders = (): Placeholders => ({ next: -1 });

/**
 * A life's fields are stored once, in messages (the attempts_full view fills them in): an attempt of a life
 * keeps '' as its queue id and null for the others, unless its own value differs from the life's.
 */
const pushAttempt = (out: Value[], a: AttemptRow) => {
  const life = a.message;
  out.push(
    a.ts,
    a.host,
    a.mta,
    a.program,
    life && a.queueId === life.queueId ? '' : a.queueId,
    a.recipient,
    a.origRecipient,
    a.recipientDomain,
    life && a.sender === life.sender ? null : a.sender,
    life && a.senderDomain === life.senderDomain ? null : a.senderDomain,
    a.outcome,
    a.relayHost,
    a.relayIp,
    a.port,
    a.stage,
    a.replyCode,
    a.enhancedStatus,
    a.dsn,
    a.diagnostic,
    a.delay,
    a.transport,
    a.class,
    a.cause,
    a.provider,
    a.blocklist,
    a.hardBounce ? 1 : 0,
    a.classConflict,
    life && a.messageId === life.messageId ? null : a.messageId,
    // The life's id, or its placeholder while it waits for one (packBatch numbers new lives first).
    life ? life.id : null,
    a.flags ?? 0,
  );
};

const pushReject = (out: Value[], r: RejectRow) => {
  out.push(
    r.ts,
    r.host,
    r.mta,
    r.program,
    r.queueId,
    r.action,
    r.clientHost,
    r.clientIp,
    r.helo,
    r.sender,
    r.recipient,
    r.recipientDomain,
    r.stage,
    r.replyCode,
    r.enhancedStatus,
    r.diagnostic,
    r.class,
    r.cause,
  );
};

const pushMessage = (out: Value[], m: MessageRow) => {
  out.push(
    m.id,
    m.host,
    m.mta,
    m.queueId,
    m.firstTs,
    m.lastTs,
    m.sender,
    m.senderDomain,
    m.size,
    m.nrcpt,
    m.messageId,
    m.clientHost,
    m.clientIp,
    m.notificationOf,
    m.hopOf ?? null,
    m.expiredAt,
    m.closedAt,
  );
};

/** Where the rollup key of a packed attempt or reject is among its values. */
const ATTEMPT_AT = {
  ts: ATTEMPT_COLUMNS.indexOf('ts'),
  host: ATTEMPT_COLUMNS.indexOf('host'),
  domain: ATTEMPT_COLUMNS.indexOf('recipient_domain'),
  provider: ATTEMPT_COLUMNS.indexOf('provider'),
  outcome: ATTEMPT_COLUMNS.indexOf('outcome'),
  cls: ATTEMPT_COLUMNS.indexOf('class'),
  cause: ATTEMPT_COLUMNS.indexOf('cause'),
  status: ATTEMPT_COLUMNS.indexOf('enhanced_status'),
  dsn: ATTEMPT_COLUMNS.indexOf('dsn'),
  reply: ATTEMPT_COLUMNS.indexOf('reply_code'),
  flags: ATTEMPT_COLUMNS.indexOf('flags'),
};
const REJECT_AT = {
  ts: REJECT_COLUMNS.indexOf('ts'),
  host: REJECT_COLUMNS.indexOf('host'),
  domain: REJECT_COLUMNS.indexOf('recipient_domain'),
  cls: REJECT_COLUMNS.indexOf('class'),
  cause: REJECT_COLUMNS.indexOf('cause'),
  status: REJECT_COLUMNS.indexOf('enhanced_status'),
  reply: REJECT_COLUMNS.indexOf('reply_code'),
};

type Text = string | null;

/**
 * Counts the rollup rows of packed attempts and rejects (minute rows from `minuteFrom` on): packBatch counts a
 * batch written on the reading thread, the writer thread the batches of each of its transactions.
 * Rejects count under no provider: the classifier names none for our own refusals of remote clients.
 */
function countRollups(
  p: Pick<PackedBatch, 'attempts' | 'rejects' | 'tallies'>,
  minuteFrom: number,
): RollupRows {
  const cells = createRollupCounter();
  countRollupsInto(cells, p);
  return cells.rows(minuteFrom);
}

/**
 * Counts packed attempts, rejects and tallies into `cells` (a counter may take several batches). Hops and waits
 * count under their own outcomes; a notification's delivery counts under its outcome and again under
 * `notice-<outcome>`, so the flows can leave it out while totals and domains keep it.
 */
export function countRollupsInto(
  cells: RollupCounter,
  p: Pick<PackedBatch, 'attempts' | 'rejects' | 'tallies'>,
): void {
  const { attempts, rejects, tallies } = p;
  const a = ATTEMPT_AT;
  for (let o = 0; o < attempts.length; o += ATTEMPT_COLUMNS.length) {
    const outcome = attempts[o + a.outcome] as Outcome;
    const flags = attempts[o + a.flags] as number;
    const ts = attempts[o + a.ts] as number;
    const host = attempts[o + a.host] as string;
    const domain = attempts[o + a.domain] as string;
    const provider = (attempts[o + a.provider] as Text) ?? '';
    const cls = attempts[o + a.cls] as string;
    const cause = (attempts[o + a.cause] as Text) ?? '';
    const code = rollupCode(
      (attempts[o + a.status] as Text) ?? (attempts[o + a.dsn] as Text),
      attempts[o + a.reply] as number | null,
    );
    const counted = attemptRollupOutcome(outcome, flags);
    cells.add(ts, host, domain, provider, counted, cls, cause, code);
    if (flags & ATTEMPT_NOTICE && counted === outcome) {
      cells.add(ts, host, domain, provider, `notice-${outcome}`, cls, cause, code);
    }
  }
  for (let o = 0; o < tallies.length; o += TALLY_FIELDS) {
    cells.add(
      tallies[o] as number,
      tallies[o + 1] as string,
      tallies[o + 2] as string,
      '',
      tallies[o + 3] as RollupOutcome,
      '',
      '',
      '',
    );
  }
  const r = REJECT_AT;
  for (let o = 0; o < rejects.length; o += REJECT_COLUMNS.length) {
    cells.add(
      rejects[o + r.ts] as number,
      rejects[o + r.host] as string,
      (rejects[o + r.domain] as Text) ?? '',
      '',
      'rejected',
      rejects[o + r.cls] as string,
      (rejects[o + r.cause] as Text) ?? '',
      rollupCode(rejects[o + r.status] as Text, rejects[o + r.reply] as number | null),
    );
  }
}

function packTallies(tallies: readonly Tally[]): Value[] {
  const out: Value[] = [];
  for (const t of tallies) out.push(t.ts, t.host, t.domain, t.outcome);
  return out;
}

function packFacts(
  facts: FlowFacts | undefined,
): Pick<PackedBatch, 'domainFacts' | 'clientDomains' | 'authenticatedClients'> {
  const domainFacts: Value[] = [];
  const clientDomains: Value[] = [];
  const authenticatedClients: Value[] = [];
  for (const f of facts?.domains ?? []) domainFacts.push(f.domain, f.fact, f.day, f.count);
  for (const c of facts?.clients ?? []) clientDomains.push(c.ip, c.domain, c.day);
  for (const c of facts?.authenticated ?? []) authenticatedClients.push(c.ip, c.day);
  return { domainFacts, clientDomains, authenticatedClients };
}

/**
 * Flattens a batch. Lives with id 0 get placeholders (written into their rows, so later batches refer to the
 * same life); they are returned so the caller can set the real ids once the writer reports them. With
 * `countRollups: false` the rollup rows are left for the writer to count (countRollupsFrom).
 */
export function packBatch(
  batch: Batch,
  placeholders: Placeholders,
  options: { countRollups?: boolean } = {},
): { packed: PackedBatch; newLives: MessageRow[] } {
  // Lives first: an attempt carries the id (or placeholder) of its life.
  const firstPlaceholder = placeholders.next;
  const newLives: MessageRow[] = [];
  const messages: Value[] = [];
  for (const m of batch.messages ?? []) {
    if (m.id === 0) {
      m.id = placeholders.next--;
      newLives.push(m);
    }
    pushMessage(messages, m);
  }
  const attempts: Value[] = [];
  for (const a of batch.attempts) pushAttempt(attempts, a);
  const rejects: Value[] = [];
  for (const r of batch.rejects) pushReject(rejects, r);
  const tallies = packTallies(batch.tallies ?? []);
  const facts = packFacts(batch.facts);
  const minuteFrom = batch.minuteFrom ?? -Infinity;
  const counted = options.countRollups !== false;
  const { minute, hour, day } = counted
    ? countRollups({ attempts, rejects, tallies }, minuteFrom)
    : { minute: [], hour: [], day: [] };
  const unparsedSamples: Value[] = [];
  for (const s of batch.unparsedSamples) {
    unparsedSamples.push(s.program, s.shape, s.reason, s.line, s.ts, s.count ?? 1);
  }
  return {
    packed: {
      attempts,
      rejects,
      minute,
      hour,
      day,
      messages,
      tallies,
      ...facts,
      countRollupsFrom: counted ? null : minuteFrom,
      firstPlaceholder,
      newLives: newLives.length,
      unparsedCounts: [...batch.unparsedCounts],
      unparsedSamples,
      lineStats: [...batch.lineStats],
      checkpoint: batch.checkpoint,
      triage: batch.triage ?? null,
    },
    newLives,
  };
}

/** Sets the ids the writer gave to the lives that were new in a batch (numbered in order from `firstId`). */
export function settleLives(newLives: readonly MessageRow[], firstId: number): void {
  for (let i = 0; i < newLives.length; i++) newLives[i]!.id = firstId + i;
}

/** Undoes the placeholders of a batch that was not written, so its lives are new again in the next one. */
export function unsettleLives(newLives: readonly MessageRow[]): void {
  for (const m of newLives) m.id = 0;
}
