/** The report model: everything a renderer shows, computed once from the database (also the json format). */

/** Counts by the design's counting rules. */
export interface Counts {
  sent: number;
  deferred: number;
  bounced: number;
  /** Totals: expired messages. Per domain, cause or provider: undelivered recipients of expired messages. */
  expired: number;
  rejected: number;
}

/** Shares of attempts; null when there was nothing to divide by. */
export interface Rates {
  /** bounced / (sent + bounced) */
  bounceRate: number | null;
  /** deferred / (sent + deferred + bounced) */
  deferralRate: number | null;
}

export interface PeriodInfo {
  from: string;
  to: string;
  label: string;
}

export interface DomainStat extends Counts, Rates {
  domain: string;
  /** Provider id that answered most for this domain, or null. */
  provider: string | null;
  /** Deferred + bounced + expired recipients. */
  failures: number;
  previous: (Counts & Rates & { failures: number }) | null;
}

export interface ProviderStat extends Counts, Rates {
  provider: string;
  name: string;
  failures: number;
  domains: number;
  previous: (Counts & Rates & { failures: number }) | null;
}

export interface CauseExample {
  text: string;
  code: string;
  domain: string;
  count: number;
  lastSeen: string;
}

/** Delivery failures of one cause: temporary + permanent = deferred + bounced + expired recipients. */
export interface CauseStat {
  cause: string;
  title: string;
  meaning: string;
  action: string;
  temporary: number;
  permanent: number;
  deferred: number;
  bounced: number;
  expired: number;
  /** Reject lines of this cause (this server refusing a client; not in temporary or permanent). */
  rejected: number;
  /** temporary + permanent */
  total: number;
  previousTotal: number | null;
  /** Domains with the most failures of this cause. */
  topDomains: { domain: string; count: number }[];
  examples: CauseExample[];
}

/** One domain x cause cell (cause '' holds the events without a failure cause: sent lines). */
export interface DomainCause extends Counts {
  domain: string;
  cause: string;
  /** Delivery failures (deferred, bounced, expired) by class; rejects are not in these two. */
  temporary: number;
  permanent: number;
}

export interface CodeStat {
  code: string;
  count: number;
  temporary: number;
  permanent: number;
}

export interface SeriesPoint extends Counts {
  date: string;
  from: string;
  /** Failures (deferred, bounced, expired) by class. */
  temporary: number;
  permanent: number;
}

export interface NewProblem {
  kind: 'cause' | 'domain';
  id: string;
  count: number;
}

export interface Change {
  domain: string;
  failures: number;
  previousFailures: number;
  delta: number;
  bounceRate: number | null;
  previousBounceRate: number | null;
}

export interface HardBounce {
  address: string;
  domain: string;
  cause: string | null;
  code: string;
  reply: string;
  bounces: number;
  lastSeen: string;
}

export interface ExpiredMessage {
  host: string;
  queueId: string;
  sender: string | null;
  expiredAt: string;
  recipients: { recipient: string; cause: string | null; reply: string | null }[];
}

export interface Completeness {
  /** Database-wide line counters (the counters carry no time). */
  linesRead: number | null;
  unparsed: number;
  unparsedByProgram: { program: string; count: number }[];
  /** Shapes of unread lines first seen in this period. */
  unparsedShapes: { program: string; reason: string; count: number }[];
  /** Share of read lines that could not be read, database-wide. */
  unparsedShare: number | null;
  /** Time span of the stored data (rollups). */
  dataFrom: string | null;
  dataTo: string | null;
  /** Earliest raw row kept; details before it were trimmed by retention. */
  rawFrom: string | null;
  /** True when the period starts before the earliest raw row: counts are whole, details are not. */
  detailsTrimmed: boolean;
}

export interface Report {
  /** Start (inclusive) and end (exclusive) of the period, ISO 8601 in the report's time zone. */
  from: string;
  to: string;
  label: string;
  /** The local dates covered, `2026-11-16 to 2026-11-22`. */
  dates: string;
  kind: 'week' | 'custom' | 'all';
  timeZone: string;
  generatedAt: string;
  previous: PeriodInfo | null;
  totals: Counts;
  rates: Rates;
  previousTotals: Counts | null;
  previousRates: Rates | null;
  /** Failures per local day. */
  days: SeriesPoint[];
  /** Every domain with any event, most failures first. */
  domains: DomainStat[];
  providers: ProviderStat[];
  /** Every failure cause, most events first. */
  causes: CauseStat[];
  /** Every domain x cause cell with events, by domain then cause. */
  domainCauses: DomainCause[];
  /** Failure events (deferred, bounced, expired, rejected) by code, most first. */
  codes: CodeStat[];
  /** Domains with the largest change in failures against the previous period. */
  changes: Change[];
  newProblems: NewProblem[];
  hardBounces: HardBounce[];
  /** True when the hard-bounce list was cut at its limit. */
  hardBouncesTruncated: boolean;
  expiredMessages: ExpiredMessage[];
  completeness: Completeness;
}
