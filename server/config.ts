/** Configuration: defaults, then an optional file, then environment, then flags; validated once, frozen. */

import { isIP } from 'node:net';
import { z } from 'zod';
import { isLoopbackAddress, resolveBindScope, type Lookup } from './bind-scope.js';

const positive = () => z.number().positive();
const count = () => z.number().int().min(1);
const ratio = () => z.number().min(0).max(1);

/** Webhook targets: generic JSON or Slack-compatible ({text, blocks}). */
const webhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    format: z.enum(['json', 'slack']).default('json'),
    /** Extra request headers (an Authorization header, say); masked by check-config. */
    headers: z.record(z.string(), z.string()).default({}),
    timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
    /** Also announce when an alert clears. */
    sendResolved: z.boolean().default(true),
  })
  .strict();

const mailSchema = z
  .object({
    to: z.array(z.email({ error: 'must be an e-mail address' })).min(1, 'needs at least one address'),
    from: z.email({ error: 'must be an e-mail address' }).optional(),
    /** The local MTA's sendmail; the message goes in on stdin with `-t -oi`. */
    sendmail: z.string().min(1).default('/usr/sbin/sendmail'),
    args: z.array(z.string()).default(['-t', '-oi']),
    subjectPrefix: z.string().max(60).default('[bouncewatch]'),
    sendResolved: z.boolean().default(true),
    timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  })
  .strict();

/** Alert thresholds. Windows are in minutes, baselines in hours. */
const alertsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** How often the engine re-evaluates on its own (inactivity needs a clock, not events). */
    evaluateSeconds: z.number().int().min(5).max(3_600).default(60),
    /** Minimum time between two notifications of the same alert. */
    cooldownMinutes: positive().default(60),
    /** How long resolved alerts stay listed by the API and kept in the database. */
    keepDays: count().default(30),
    bounceSpike: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(30),
        baselineHours: positive().default(24),
        /** Attempts needed in the window, so one bounce to a quiet domain does not fire. */
        minAttempts: count().default(20),
        minBounces: count().default(5),
        /** The bounce rate must reach this much... */
        minRate: ratio().default(0.1),
        /** ...and this many times the baseline rate. */
        factor: z.number().min(1).default(3),
      })
      .strict()
      .prefault({}),
    blocklist: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(60),
        /** A provider counts as newly blocking when it did not block us for this long before. */
        quietHours: positive().default(24),
        minCount: count().default(1),
      })
      .strict()
      .prefault({}),
    authFailures: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(60),
        baselineHours: positive().default(24),
        minCount: count().default(10),
        factor: z.number().min(1).default(3),
      })
      .strict()
      .prefault({}),
    deferrals: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(60),
        /** Recipients whose last attempt was a deferral: fire when at least this many... */
        minBacklog: count().default(50),
        /** ...and the backlog grew by this fraction over the window. */
        growth: z.number().min(0).default(0.5),
        /** Forget a deferred recipient after this long (Postfix maximal_queue_lifetime is 5 days). */
        maxAgeHours: positive().default(120),
        /** Expiries in the window that fire the expiry alert. */
        minExpired: count().default(3),
      })
      .strict()
      .prefault({}),
    senderSpike: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(10),
        baselineHours: positive().default(24),
        /** Messages in the window a submitter needs before its baseline is compared... */
        minMessages: count().default(500),
        /** ...and this many times its usual rate for a window of that length... */
        factor: z.number().min(1).default(10),
        /** ...or this many in the window whatever its baseline. */
        absoluteMessages: count().default(2_000),
        /** The share of its final outcomes refused as spam or by reputation, or sent to unknown users. */
        minBadShare: ratio().default(0.3),
      })
      .strict()
      .prefault({}),
    mtaHealth: z
      .object({
        enabled: z.boolean().default(true),
        /** fatal and panic lines, and disk-space warnings, in this window fire (and keep firing). */
        windowMinutes: positive().default(60),
      })
      .strict()
      .prefault({}),
    queue: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(30),
        minMessages: count().default(500),
        growth: z.number().min(0).default(0.5),
        /** A message older than this in the queue fires too. */
        maxAgeHours: positive().default(48),
      })
      .strict()
      .prefault({}),
    tlsStopped: z
      .object({
        enabled: z.boolean().default(true),
        windowMinutes: positive().default(60),
        baselineHours: positive().default(24),
        /** TLS deliveries in the baseline that make a domain one that uses TLS... */
        minTlsBefore: count().default(5),
        /** ...and deliveries without TLS (and none with) in the window that fire. */
        minPlain: count().default(3),
      })
      .strict()
      .prefault({}),
    inactivity: z
      .object({
        enabled: z.boolean().default(true),
        /** Nothing delivered for this long... */
        afterMinutes: positive().default(120),
        /** ...on a server that delivered at least this many in the last baselineHours. */
        minUsualSent: count().default(50),
        baselineHours: positive().default(24),
      })
      .strict()
      .prefault({}),
    /** One host of a fleet delivered nothing for a while though it usually does (the others go on). */
    hostSilence: z
      .object({
        enabled: z.boolean().default(true),
        afterMinutes: positive().default(60),
        minUsualSent: count().default(20),
        baselineHours: positive().default(24),
      })
      .strict()
      .prefault({}),
    /** Log rotation deleted lines before they were read; the alert stays open this long after it was found. */
    logLoss: z
      .object({
        enabled: z.boolean().default(true),
        keepHours: positive().default(24),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const notifySchema = z
  .object({
    webhooks: z.array(webhookSchema).default([]),
    mail: mailSchema.optional(),
  })
  .strict()
  .prefault({});

const metricsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Providers that get their own label; the rest are counted as `other`. */
    topProviders: z.number().int().min(0).max(100).default(10),
    /** Node.js process metrics (memory, event loop) in the same registry. */
    processMetrics: z.boolean().default(true),
  })
  .strict()
  .prefault({});

const healthSchema = z
  .object({
    /** When following, /healthz fails if no batch or heartbeat came for this long. */
    ingestStaleSeconds: z.number().int().min(10).default(300),
    /** A fleet's agent that has not reported for this long (it cannot reach the store) fails /healthz. */
    agentStaleSeconds: z.number().int().min(10).default(120),
  })
  .strict()
  .prefault({});

/** Exim's paniclog, read where it is readable (it is usually root's or Debian-exim's: add the reader to its group). */
const paniclogSchema = z
  .object({
    enabled: z.boolean().default(true),
    path: z.string().min(1).default('/var/log/exim4/paniclog'),
    /** How often the running daemon reads it again. */
    intervalSeconds: z.number().int().min(10).max(86_400).default(300),
  })
  .strict()
  .prefault({});

/** Reading the MTA's queue: off unless asked for, since it runs a command with the MTA's permissions. */
const queueSchema = z
  .object({
    enabled: z.boolean().default(false),
    mta: z.enum(['postfix', 'exim']).default('postfix'),
    /** How often the running daemon reads the queue. */
    intervalSeconds: z.number().int().min(10).max(86_400).default(60),
    /** The listing command and its arguments; default `postqueue -j` or `exim -bp` (with `exim -bpc` first). */
    command: z.array(z.string().min(1)).min(1).optional(),
    /** An Exim queue longer than this is counted, not listed. */
    listLimit: count().default(20_000),
  })
  .strict()
  .prefault({});

/** One DNS blocklist: its zone, the meaning of each documented answer, and where to ask for removal. */
const blocklistSchema = z
  .object({
    zone: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a DNS zone such as zen.spamhaus.org'),
    delistUrl: z.url({ protocol: /^https?$/ }).optional(),
    codes: z.record(z.ipv4(), z.string().max(200)).default({}),
    /** Answers that report a refused or malformed query; never read as a listing. */
    errorCodes: z.array(z.ipv4()).default(['127.255.255.252', '127.255.255.254', '127.255.255.255']),
  })
  .strict();

/** Spamhaus ZEN and the return codes Spamhaus documents for it. */
const ZEN = {
  zone: 'zen.spamhaus.org',
  delistUrl: 'https://check.spamhaus.org/',
  codes: {
    '127.0.0.2': 'SBL (spam source)',
    '127.0.0.3': 'SBL CSS (snowshoe spam)',
    '127.0.0.4': 'XBL (exploited host)',
    '127.0.0.9': 'SBL DROP (hijacked network)',
    '127.0.0.10': 'PBL (end-user range, ISP)',
    '127.0.0.11': 'PBL (end-user range, Spamhaus)',
  },
  errorCodes: ['127.255.255.252', '127.255.255.254', '127.255.255.255'],
};

/** Looking our own sending IPs up on blocklists: off unless asked for (public resolvers are refused by most lists). */
const blocklistsSchema = z
  .object({
    enabled: z.boolean().default(false),
    intervalMinutes: z.number().int().min(5).max(10_080).default(30),
    /** Our sending IPs; when empty, the addresses remote servers name as ours in their blocklist refusals. */
    ips: z.array(z.union([z.ipv4(), z.ipv6()])).default([]),
    lists: z.array(blocklistSchema).default([ZEN]),
    /** DNS servers to ask (`127.0.0.1`, `127.0.0.1:5353`); empty: the system resolver. */
    servers: z.array(z.string().min(1)).default([]),
    timeoutMs: z.number().int().min(100).max(30_000).default(5_000),
  })
  .strict()
  .prefault({});

/** A host name as a browser sends it in Host (no port): a name, or `.example.org` for it and every subdomain. */
const hostNameSchema = z
  .string()
  .toLowerCase()
  .regex(/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/, {
    error: 'must be a host name such as dashboard.example.org (or .example.org for its subdomains too)',
  });

/** An address or a network that a reverse proxy connects from. */
const proxySchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: 'must be an IP address or a network such as 10.0.0.0/8',
});

/** What one client, and all clients together, may ask of the HTTP server. */
const limitsSchema = z
  .object({
    /** Requests per client and minute, every path but /healthz. */
    requestsPerMinute: count().default(1200),
    /** Live event streams one client may hold open (one per dashboard tab). */
    streamsPerClient: count().default(10),
    /** Live event streams of all clients together. */
    streamsTotal: count().default(200),
    /** Failed logins a client may make before each further try must wait, doubling up to 15 minutes. */
    loginFailures: count().default(5),
  })
  .strict()
  .prefault({});

const configSchema = z
  .object({
    /** SQLite database file. */
    db: z.string().min(1).default('bouncewatch.db'),
    /** A PostgreSQL store shared by a fleet (postgres://...); when set, it is used instead of the SQLite file. */
    store: z
      .string()
      .regex(/^postgres(ql)?:\/\//i, 'store must be a postgres:// URL (a SQLite file goes in db)')
      .optional(),
    /** This host's name in a fleet store (default: the machine's host name). */
    hostId: z
      .string()
      .regex(/^[A-Za-z0-9][\w.:-]{0,252}$/, 'hostId must be a host name (letters, digits, . _ : -)')
      .optional(),
    port: z.number().int().min(1).max(65535).default(8550),
    bind: z.string().min(1).default('127.0.0.1'),
    /** Logs to follow (run/follow). */
    logs: z.array(z.string().min(1)).default([]),
    /** Credentials for the dashboard; required when bound to anything but loopback. */
    auth: z
      .object({
        token: z.string().min(16, 'auth.token must be at least 16 characters').optional(),
        user: z.string().min(1).optional(),
        password: z.string().min(8, 'auth.password must be at least 8 characters').optional(),
      })
      .strict()
      .default({}),
    /** Host names the dashboard answers to besides the loopback ones (DNS rebinding guard). */
    allowedHosts: z.array(hostNameSchema).default([]),
    /** Reverse proxies whose X-Forwarded-For names the client; nobody else's is believed. */
    trustedProxies: z.array(proxySchema).default([]),
    limits: limitsSchema,
    /**
     * Domains that are ours (mail to them is inbound) whatever the log shows; `!domain` says one is not ours.
     * The config wins over every guess, and applies to mail already stored.
     */
    ownDomains: z
      .array(
        z
          .string()
          .regex(
            /^!?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i,
            'must be a domain name, or !domain to say it is not ours',
          ),
      )
      .default([]),
    /** Content filters on other hosts (names or IPs): a hand-over to one that queues the message again is a hop. */
    internalRelays: z.array(z.string().min(1)).default([]),
    /** Days of raw rows to keep; rollups are kept for ever. */
    retainDays: z.number().int().min(1).optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Readable lines on a terminal and JSON lines elsewhere (auto), or always one of them. */
    logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
    alerts: alertsSchema,
    notify: notifySchema,
    metrics: metricsSchema,
    health: healthSchema,
    queue: queueSchema,
    paniclog: paniclogSchema,
    blocklists: blocklistsSchema,
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
export type AlertsConfig = Config['alerts'];
export type NotifyConfig = Config['notify'];
export type WebhookConfig = NotifyConfig['webhooks'][number];
export type MailConfig = NonNullable<NotifyConfig['mail']>;
export type MetricsConfig = Config['metrics'];

/** One thing wrong with the configuration: where, and what. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Whether the bind address can be judged loopback without resolving it: an address literal is; `localhost`
 * is taken as loopback here and resolved before listening (resolveBindScope).
 */
function mayBeLoopback(bind: string): boolean {
  return isIP(bind) === 0 || isLoopbackAddress(bind);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Validates a raw config object: the frozen config, or every problem found. */
export function validateConfig(
  raw: unknown,
): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.flatMap((i) => {
        const path = i.path.map(String).join('.');
        // One line per unknown key, named by its own path: a typo is found where it was made.
        if (i.code === 'unrecognized_keys') {
          return i.keys.map((k) => ({ path: path ? `${path}.${k}` : k, message: 'unknown setting' }));
        }
        return [{ path: path || '(config)', message: i.message }];
      }),
    };
  }
  const config = result.data;
  if (!mayBeLoopback(config.bind) && !hasCredentials(config)) {
    return { ok: false, problems: [noCredentialsProblem(config.bind)] };
  }
  return { ok: true, config: deepFreeze(config) };
}

/** True when the config asks for credentials at all. */
export function hasCredentials(config: Pick<Config, 'auth'>): boolean {
  return Boolean(config.auth.token) || Boolean(config.auth.user && config.auth.password);
}

function noCredentialsProblem(bind: string, resolved?: string): ConfigProblem {
  const what = resolved ? `${bind} (${resolved})` : bind;
  return {
    path: 'bind',
    message: `refusing to listen on ${what} without credentials (set auth.token or auth.user and auth.password)`,
  };
}

/**
 * The bind address judged on what it resolves to: a name that reaches beyond loopback needs credentials like an
 * address does (`127.example.org` is not loopback because of its spelling).
 */
export async function checkBind(
  config: Config,
  lookup?: Lookup,
): Promise<{ loopback: boolean; problem: ConfigProblem | null }> {
  const scope = await resolveBindScope(config.bind, lookup);
  if (scope.loopback || hasCredentials(config)) return { loopback: scope.loopback, problem: null };
  const resolved = scope.addresses.length > 0 ? `resolves to ${scope.addresses.join(', ')}` : undefined;
  return { loopback: false, problem: noCredentialsProblem(config.bind, resolved) };
}

/** Validates a raw config object; throws an Error with one line per problem. */
export function parseConfig(raw: unknown): Config {
  const result = validateConfig(raw);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.config;
}
