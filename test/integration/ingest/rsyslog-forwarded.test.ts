// A mail server that cannot run Node forwards its log with rsyslog (RELP, RFC 3339 template) to a collector that
// writes one file per host (docs/deploy.md). The recorded collector file imports to the same attempts as the mail
// server's own log: nothing dropped or garbled on the way (test/fixtures/rsyslog/SOURCE.txt).
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { setup, type Env } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/rsyslog');

interface Row {
  ts: number;
  queue_id: string;
  recipient: string;
  outcome: string;
  class: string;
  cause: string | null;
  diagnostic: string | null;
}

const envs: Env[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

async function imported(file: string) {
  const env = setup('bw-rsyslog-');
  envs.push(env);
  const summary = await env.ingest.ingestFiles([join(FIXTURES, file)], { year: 2026 });
  const rows = env.db
    .prepare<[], Row>(
      'SELECT ts, queue_id, recipient, outcome, class, cause, diagnostic FROM attempts_full ORDER BY id',
    )
    .all();
  const rejects = env.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM rejects').get()!.n;
  return { summary, rows, rejects };
}

it("imports a collector's forwarded file as the mail server's own log", async () => {
  const local = await imported('mx1-mail.log');
  const forwarded = await imported('collector/mx1/mail.log');
  expect(forwarded.summary.unparsed).toBe(0);
  expect(local.summary.unparsed).toBe(0);
  expect(forwarded.summary.linesRead).toBe(1500);
  expect(local.rows.length).toBeGreaterThan(200);
  expect(forwarded.rejects).toBe(local.rejects);
  const withoutTime = (rows: Row[]) =>
    rows.map((r) => [r.queue_id, r.recipient, r.outcome, r.class, r.cause, r.diagnostic]);
  expect(withoutTime(forwarded.rows)).toEqual(withoutTime(local.rows));
  // The same instants, to the second: the classic log's local time is read in this machine's zone, the RFC 3339
  // one carries its own, so the two differ by one fixed offset at most.
  const shifts = new Set(forwarded.rows.map((r, i) => local.rows[i]!.ts - Math.floor(r.ts / 1000) * 1000));
  expect(shifts.size).toBe(1);
  expect(Math.abs([...shifts][0]!)).toBeLessThanOrEqual(14 * 3_600_000);
});
