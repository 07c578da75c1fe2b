// Per-SASL-user and per-sender figures equal what a plain count of the raw lines gives: on the corpus-like fixture
// logs (Postfix and Exim) and on generated traffic, through the real ingest and store.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { generateLines } from '../../../server/demo/generate.js';
import { setup, type Env } from '../ingest/helpers.js';

const EVER = { from: 0, to: Date.UTC(2100, 0, 1) };

interface Tally {
  messages: number;
  recipients: number;
  bytes: number;
}

/**
 * Postfix, counted as pflogsumm counts: each queue id's first `from=` line (qmgr) is a message, its `nrcpt` and
 * `size` its recipients and bytes; the submitter is the SASL login smtpd logged for that queue id, else the sender
 * (a login and an address of the same text are two submitters).
 * The null sender (our own bounces) is nobody's submission.
 */
function countPostfix(log: string): Map<string, Tally> {
  const logins = new Map<string, string>();
  const seen = new Set<string>();
  const out = new Map<string, Tally>();
  for (const line of log.split('\n')) {
    // A classic syslog time (`Nov 28 00:10:01`) or an RFC 3339 one, then the host.
    const m = /^(?:\w{3} +\d+ [\d:]+|\d{4}-\S+) (\S+) postfix\/[\w/-]+\[\d+\]: ([0-9A-Za-z]+): (.*)$/.exec(
      line,
    );
    if (!m) continue;
    const [, host, qid, rest] = m as unknown as [string, string, string, string];
    const key = `${host} ${qid}`;
    const sasl = /(?:^|, )sasl_username=([^,\s]+)/.exec(rest);
    if (rest.startsWith('client=') && sasl) logins.set(key, sasl[1]!);
    const from = /^from=<([^>]*)>, size=(\d+), nrcpt=(\d+)/.exec(rest);
    if (!from || seen.has(key)) continue;
    seen.add(key);
    const login = logins.get(key);
    if (login === undefined && from[1] === '') continue;
    add(out, login !== undefined ? `login ${login}` : `sender ${from[1]}`, Number(from[3]), Number(from[2]));
  }
  return out;
}

/** Exim: each `<=` line is a message (`S=` its bytes); the submitter is the `A=` login, else the sender. */
function countExim(log: string): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const line of log.split('\n')) {
    const m = / [0-9A-Za-z]{6}-[0-9A-Za-z]+-[0-9A-Za-z]+ <= (\S+) (.*)$/.exec(line);
    if (!m) continue;
    const [, sender, rest] = m as unknown as [string, string, string];
    const login = / A=[^:\s]+:(\S+)/.exec(rest)?.[1];
    if (login === undefined && sender === '<>') continue;
    add(
      out,
      login !== undefined ? `login ${login}` : `sender ${sender}`,
      0,
      Number(/ S=(\d+)/.exec(rest)?.[1] ?? 0),
    );
  }
  return out;
}

function add(out: Map<string, Tally>, who: string, recipients: number, bytes: number) {
  const t = out.get(who) ?? { messages: 0, recipients: 0, bytes: 0 };
  t.messages++;
  t.recipients += recipients;
  t.bytes += bytes;
  out.set(who, t);
}

describe('submitters against the raw lines', () => {
  let env: Env;
  beforeEach(() => {
    env = setup('bw-senders-raw-');
  });
  afterEach(() => env.cleanup());

  /** The store's submitters after ingesting `log`, keyed as the raw count keys them. */
  async function stored(log: string, mta: 'postfix' | 'exim'): Promise<Map<string, Tally>> {
    const file = join(env.dir, 'mail.log');
    writeFileSync(file, log);
    await env.ingest.ingestFiles([file], { year: 2026 });
    const rows = await createSqliteReader(env.db, { now: () => EVER.to }).senderTotals(
      EVER,
      'submitter',
      100_000,
    );
    return new Map(
      rows.map((r) => [
        r.saslUser !== null ? `login ${r.saslUser}` : `sender ${r.sender}`,
        // Exim's arrival line names no recipient count: the raw count has none to compare.
        { messages: r.messages, recipients: mta === 'exim' ? 0 : r.recipients, bytes: r.bytes },
      ]),
    );
  }

  const fixture = (path: string) =>
    readFileSync(new URL(`../../fixtures/logs/${path}`, import.meta.url), 'utf8');

  it.each(['outbound-relay/mail.log', 'gateway-content-filter/mail.log', 'mx-refuses-spam/mail.log'])(
    'equal on the Postfix fixture %s',
    async (path) => {
      const log = fixture(path);
      const raw = countPostfix(log);
      expect(raw.size).toBeGreaterThan(0);
      expect(await stored(log, 'postfix')).toEqual(raw);
    },
  );

  it('equal on the Exim fixture, with its logins', async () => {
    const log = fixture('exim-host/mainlog');
    const raw = countExim(log);
    expect(raw.size).toBeGreaterThan(0);
    expect(await stored(log, 'exim')).toEqual(raw);
  });

  it.each(['postfix', 'exim'] as const)('equal on generated %s traffic', async (format) => {
    const log = `${[...generateLines({ format, lines: 20_000, seed: 21, endMs: Date.UTC(2026, 10, 28), days: 2 })].join('\n')}\n`;
    const raw = format === 'postfix' ? countPostfix(log) : countExim(log);
    expect(raw.size).toBeGreaterThan(2);
    expect(await stored(log, format)).toEqual(raw);
  });
});
