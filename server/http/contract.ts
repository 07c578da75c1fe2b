/** The JSON shapes of the /api/v1 responses: the server builds them, the dashboard imports them as types. */

export type OutcomeName = 'sent' | 'deferred' | 'bounced' | 'expired' | 'rejected';
export type ClassName = 'success' | 'temporary' | 'permanent';
export type DetailKindName = 'domain' | 'provider' | 'cause' | 'code';

export interface ApiError {
  error: { code: string; message: string };
}

export interface RangeInfo {
  from: number;
  to: number;
  host: string | null;
}

export interface OutcomeCounts {
  sent: number;
  deferred: number;
  bounced: number;
  expired: number;
  rejected: number;
}

export interface Rates {
  /** bounced / (sent + bounced), as in the weekly report. */
  bounceRate: number | null;
  /** deferred / (sent + deferred + bounced), as in the weekly report. */
  deferralRate: number | null;
}

/** Relative change against the previous period of equal length (0.25 = +25%); null when the previous was 0. */
export type Change = { [K in keyof OutcomeCounts]: number | null } & {
  bounceRate: number | null;
  deferralRate: number | null;
};

export interface SummaryResponse {
  range: RangeInfo;
  previous: { from: number; to: number };
  counts: OutcomeCounts;
  previousCounts: OutcomeCounts;
  rates: Rates;
  previousRates: Rates;
  change: Change;
  /** Failed attempts by class (temporary: deferrals and 4xx; permanent: bounces and 5xx). */
  temporary: number;
  permanent: number;
}

export interface SeriesResponse {
  range: RangeInfo;
  /** Bucket width in ms. */
  step: number;
  /** Start of each bucket (unix ms). */
  buckets: number[];
  outcomes: { [K in keyof OutcomeCounts]: number[] };
  /** Failed delivery attempts by class (rejects excluded: they are our own refusals of inbound mail). */
  classes: { temporary: number[]; permanent: number[] };
}

export interface CodeCount {
  code: string;
  count: number;
}

export interface CauseRow {
  cause: string;
  title: string;
  action: string;
  temporary: number;
  permanent: number;
  rejected: number;
  total: number;
  codes: CodeCount[];
}

export interface CausesResponse {
  range: RangeInfo;
  causes: CauseRow[];
}

export interface TargetRow extends OutcomeCounts, Rates {
  /** Domain name or provider id. */
  key: string;
  /** Provider display name (providers only), else null. */
  name: string | null;
  total: number;
  /** Failed delivery attempts: deferred + bounced + expired (rejects are inbound and not counted). */
  failures: number;
  topCause: string | null;
}

export interface TargetsResponse {
  range: RangeInfo;
  sort: string;
  rows: TargetRow[];
}

export interface CodesResponse {
  range: RangeInfo;
  codes: (CodeCount & { temporary: number; permanent: number; meaning: string | null })[];
}

export interface HostsResponse {
  hosts: string[];
}

export interface CauseInfoBody {
  cause: string;
  title: string;
  meaning: string;
  action: string;
}

export interface CodeExplanation {
  /** The code as understood: "550", "5.7.26", "X.7.26", "550 5.7.1", or a provider code such as "S3150". */
  code: string;
  kind: 'basic' | 'enhanced' | 'combined' | 'provider';
  /** Null for an "X." form, whose class is not given. */
  class: ClassName | null;
  title: string;
  meaning: string;
  /** What to do, most specific first. */
  actions: string[];
  /** Causes this code usually means, most likely first. */
  causes: { cause: string; title: string }[];
  /** Class and subject notes. */
  notes: string[];
  /** Where the definition comes from (RFC 5321, RFC 3463, customary...). */
  source: string;
  /** Provider-specific meanings of the same code. */
  providerNotes: { provider: string; label: string; meaning: string; action: string }[];
}

export interface ProviderInfoBody {
  id: string;
  name: string;
  notes: string[];
}

export interface DiagnosticGroup {
  /** The reply text with addresses, ids and numbers masked: what the group shares. */
  pattern: string;
  /** One real text of the group, as logged. */
  example: string;
  count: number;
  firstTs: number;
  lastTs: number;
  codes: string[];
  classes: ClassName[];
}

export interface AffectedAddress {
  address: string;
  count: number;
  lastTs: number;
  lastCause: string | null;
  lastOutcome: string;
  hardBounce: boolean;
}

export interface BreakdownRow {
  key: string;
  /** What the key means: a cause's title or a code's meaning; null for a domain or a key we do not know. */
  title: string | null;
  count: number;
  temporary: number;
  permanent: number;
}

export interface DetailResponse {
  kind: DetailKindName;
  key: string;
  range: RangeInfo;
  cause: CauseInfoBody | null;
  code: CodeExplanation | null;
  provider: ProviderInfoBody | null;
  counts: OutcomeCounts;
  rates: Rates;
  series: SeriesResponse;
  causes: BreakdownRow[];
  codes: BreakdownRow[];
  domains: BreakdownRow[];
  /** How many of the newest failures the samples and addresses were drawn from. */
  sampled: number;
  samples: DiagnosticGroup[];
  addresses: AffectedAddress[];
}

export interface TraceEvent {
  kind: 'attempt' | 'reject';
  ts: number;
  program: string;
  recipient: string | null;
  outcome: string;
  class: string;
  cause: string | null;
  replyCode: number | null;
  enhancedStatus: string | null;
  dsn: string | null;
  stage: string | null;
  relayHost: string | null;
  relayIp: string | null;
  clientHost: string | null;
  clientIp: string | null;
  helo: string | null;
  delay: number | null;
  diagnostic: string;
  classConflict: string | null;
}

export interface TraceRecipientRow {
  recipient: string;
  finalOutcome: string;
  deferrals: number;
  firstAttemptTs: number | null;
  finalTs: number | null;
  lastCause: string | null;
}

export interface MessageTrace {
  host: string;
  queueId: string;
  mta: string | null;
  sender: string | null;
  messageId: string | null;
  size: number | null;
  clientHost: string | null;
  clientIp: string | null;
  notificationOf: string | null;
  firstTs: number;
  lastTs: number;
  expiredAt: number | null;
  closedAt: number | null;
  /** Final outcome per recipient, from correlation (empty when ingest did not correlate this message). */
  recipients: TraceRecipientRow[];
  events: TraceEvent[];
}

export interface TraceResponse {
  query: { q: string; by: string };
  messages: MessageTrace[];
  /** Rejects before queueing (no queue id) that match the search. */
  rejects: TraceEvent[];
}

export interface UnparsedResponse {
  /** Lines read from logs in all, and how many of them were not understood (what the figures miss). */
  linesRead: number;
  unparsed: number;
  counts: { program: string; count: number }[];
  total: number;
  samples: {
    program: string;
    shape: string;
    reason: string;
    line: string;
    ts: number | null;
    count: number;
  }[];
}

export interface HealthResponse {
  ok: boolean;
  now: number;
  schemaVersion: number;
  newestAttemptTs: number | null;
  newestRejectTs: number | null;
  lineStats: Record<string, number>;
  sources: {
    path: string;
    offset: number;
    size: number | null;
    lines: number;
    complete: boolean;
    updatedAt: number;
  }[];
}

export interface CausesReferenceResponse {
  causes: CauseInfoBody[];
}

/** What the live stream sends on each stored batch. */
export interface LiveBatchEvent {
  attempts: number;
  rejects: number;
  newestTs: number | null;
  hosts: string[];
}

/** GET /api/v1/alerts (served by the ops router in front of the app): open and recently resolved alerts. */
export interface AlertItem {
  id: number;
  key: string;
  rule: string;
  subject: string;
  severity: 'warning' | 'critical';
  state: 'open' | 'resolved';
  summary: string;
  evidence: {
    window: { from: number; to: number };
    counts: Record<string, number>;
    causes: { cause: string; count: number; action: string | null }[];
    examples: {
      ts: number;
      domain: string | null;
      provider: string | null;
      code: string | null;
      diagnostic: string;
    }[];
    blocklists?: string[];
    codes?: string[];
    domains?: { domain: string; count: number }[];
    action: string;
  };
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  notifiedAt: number | null;
}

export interface AlertsResponse {
  now: number;
  open: AlertItem[];
  recent: AlertItem[];
}
