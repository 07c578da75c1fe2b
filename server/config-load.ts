/** Builds the effective configuration: defaults <- config file <- environment <- flags, validated once. */

import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateConfig, type Config, type ConfigProblem } from './config.js';

type Plain = Record<string, unknown>;

/** Thrown by loadConfig; `problems` holds one entry per mistake, each naming where it came from. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

export interface LoadConfigOptions {
  /** Config file (JSON or YAML); defaults to BOUNCEWATCH_CONFIG. */
  file?: string | undefined;
  env: NodeJS.ProcessEnv;
  /**
   * Command-line overrides keyed by config path ('db', 'port', 'auth.token', ...). Undefined values and
   * empty arrays (no positionals given) leave the lower layers alone.
   */
  flags?: Readonly<Record<string, unknown>>;
}

type EnvKind = 'string' | 'int' | 'list' | 'bool';

/** Environment variables and the config path each one sets. */
const ENV_VARS: readonly { name: string; path: string; kind: EnvKind }[] = [
  { name: 'BOUNCEWATCH_DB', path: 'db', kind: 'string' },
  { name: 'BOUNCEWATCH_STORE', path: 'store', kind: 'string' },
  { name: 'BOUNCEWATCH_HOST_ID', path: 'hostId', kind: 'string' },
  { name: 'BOUNCEWATCH_PORT', path: 'port', kind: 'int' },
  { name: 'BOUNCEWATCH_BIND', path: 'bind', kind: 'string' },
  { name: 'BOUNCEWATCH_LOGS', path: 'logs', kind: 'list' },
  { name: 'BOUNCEWATCH_TOKEN', path: 'auth.token', kind: 'string' },
  { name: 'BOUNCEWATCH_USER', path: 'auth.user', kind: 'string' },
  { name: 'BOUNCEWATCH_PASSWORD', path: 'auth.password', kind: 'string' },
  { name: 'BOUNCEWATCH_RETAIN_DAYS', path: 'retainDays', kind: 'int' },
  { name: 'BOUNCEWATCH_ALLOWED_HOSTS', path: 'allowedHosts', kind: 'list' },
  { name: 'BOUNCEWATCH_TRUSTED_PROXIES', path: 'trustedProxies', kind: 'list' },
  { name: 'BOUNCEWATCH_LOG_LEVEL', path: 'logLevel', kind: 'string' },
  { name: 'BOUNCEWATCH_LOG_FORMAT', path: 'logFormat', kind: 'string' },
  { name: 'BOUNCEWATCH_ALERTS', path: 'alerts.enabled', kind: 'bool' },
  { name: 'BOUNCEWATCH_METRICS', path: 'metrics.enabled', kind: 'bool' },
  { name: 'BOUNCEWATCH_ALERT_MAIL_TO', path: 'notify.mail.to', kind: 'list' },
  { name: 'BOUNCEWATCH_ALERT_MAIL_FROM', path: 'notify.mail.from', kind: 'string' },
  { name: 'BOUNCEWATCH_SENDMAIL', path: 'notify.mail.sendmail', kind: 'string' },
];

/** Webhooks from the environment are added to those of the file (their URLs are often secrets). */
const ENV_WEBHOOKS = [
  { name: 'BOUNCEWATCH_WEBHOOK_URL', format: 'json' },
  { name: 'BOUNCEWATCH_SLACK_WEBHOOK_URL', format: 'slack' },
] as const;

const NUMERIC_FLAGS = new Set(['port', 'retainDays']);

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Where each value came from, by config path, so a mistake can name its source. */
type Sources = Map<string, string>;

function setPath(target: Plain, path: string, value: unknown, sources: Sources, source: string): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (isPlain(next)) node = next;
    else {
      const created: Plain = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts[parts.length - 1]!] = value;
  sources.set(path, source);
}

/** Deep merge: objects merge key by key, anything else (arrays included) replaces. */
function mergeInto(target: Plain, layer: Plain, sources: Sources, source: string, prefix = ''): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const current = target[key];
    if (isPlain(value) && isPlain(current)) mergeInto(current, value, sources, source, path);
    else {
      target[key] = isPlain(value) ? structuredClone(value) : value;
      sources.set(path, source);
    }
  }
}

function readConfigFile(file: string): { data: Plain } | { problem: ConfigProblem } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { problem: { path: '--config', message: `cannot read ${file} (${code})` } };
  }
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return {
      problem: {
        path: file,
        message: `not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${message}`,
      },
    };
  }
  if (data === null || data === undefined) return { data: {} };
  if (!isPlain(data))
    return { problem: { path: file, message: 'must hold a mapping of settings at the top level' } };
  return { data };
}

function envValue(kind: EnvKind, raw: string): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
      if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
      return raw;
  }
}

function sourceOf(path: string, sources: Sources): string | undefined {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = sources.get(p);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Every layer merged and validated: the frozen config, or every problem found. */
export function tryLoadConfig(
  options: LoadConfigOptions,
): { ok: true; config: Config; file: string | null } | { ok: false; problems: ConfigProblem[] } {
  const { env } = options;
  const raw: Plain = {};
  const sources: Sources = new Map();
  const envSet = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };

  const file = options.file ?? envSet('BOUNCEWATCH_CONFIG') ?? null;
  if (file !== null) {
    const read = readConfigFile(file);
    if ('problem' in read) return { ok: false, problems: [read.problem] };
    mergeInto(raw, read.data, sources, file);
  }

  for (const v of ENV_VARS) {
    const value = envSet(v.name);
    if (value !== undefined) setPath(raw, v.path, envValue(v.kind, value), sources, v.name);
  }
  const envHooks = ENV_WEBHOOKS.flatMap((h) => {
    const url = envSet(h.name);
    return url === undefined ? [] : [{ url, format: h.format, source: h.name }];
  });
  if (envHooks.length > 0) {
    const notify = isPlain(raw['notify']) ? raw['notify'] : {};
    const existing = Array.isArray(notify['webhooks']) ? (notify['webhooks'] as unknown[]) : [];
    const all = [...existing, ...envHooks.map(({ url, format }) => ({ url, format }))];
    setPath(raw, 'notify.webhooks', all, sources, sources.get('notify.webhooks') ?? 'environment');
    envHooks.forEach((h, i) => sources.set(`notify.webhooks.${existing.length + i}`, h.source));
  }

  for (const [path, value] of Object.entries(options.flags ?? {})) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const flagValue =
      NUMERIC_FLAGS.has(path) && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    setPath(raw, path, flagValue, sources, `--${path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }

  const result = validateConfig(raw);
  if (result.ok) return { ok: true, config: result.config, file };
  return {
    ok: false,
    problems: result.problems.map((p) => {
      const from = sourceOf(p.path, sources);
      return from === undefined ? p : { path: p.path, message: `${p.message} (from ${from})` };
    }),
  };
}

/** The effective configuration, frozen; throws ConfigError listing every mistake. */
export function loadConfig(options: LoadConfigOptions): Config {
  const result = tryLoadConfig(options);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.config;
}

/** Hides secrets (tokens, passwords, webhook paths and headers) for printing. */
export function maskConfig(config: Config): unknown {
  const hide = (s: string | undefined) => (s === undefined ? undefined : '********');
  const maskUrl = (url: string) => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}/********`;
    } catch {
      return '********';
    }
  };
  const maskPassword = (url: string | undefined) => {
    if (url === undefined) return undefined;
    try {
      const u = new URL(url);
      if (u.password) u.password = '********';
      return u.toString();
    } catch {
      return '********';
    }
  };
  return {
    ...config,
    store: maskPassword(config.store),
    auth: { ...config.auth, token: hide(config.auth.token), password: hide(config.auth.password) },
    notify: {
      ...config.notify,
      webhooks: config.notify.webhooks.map((w) => ({
        ...w,
        url: maskUrl(w.url),
        headers: Object.fromEntries(Object.keys(w.headers).map((k) => [k, '********'])),
      })),
    },
  };
}
