// `bouncewatch report` as a command: flags, outputs, errors, and --mail-to through a fake sendmail.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { UsageError } from '../../../server/cli/args.js';
import type { CliIo } from '../../../server/cli/command.js';
import { reportCommand } from '../../../server/cli/commands/report.js';
import { createBatchWriter } from '../../../db/sqlite/write/batch-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import { attempt, fixtureDatabase, UNKNOWN } from './fixture-db.js';

let dir: string;
let dbFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bouncewatch-report-cli-'));
  dbFile = join(dir, 'fixture.db');
  fixtureDatabase(dbFile).db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const io: CliIo = { stdin: new PassThrough(), stdout: out, stderr: err, env };
  const code = await reportCommand.run(args, io);
  return { code, stdout, stderr };
}

async function usageError(args: string[]): Promise<string> {
  try {
    await run(args);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('bouncewatch report', () => {
  it('writes every domain and cause as json for --all', async () => {
    const r = await run(['--db', dbFile, '--all', '--format', 'json', '--tz', 'UTC']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      from: string;
      to: string;
      totals: Record<string, number>;
      domains: { domain: string }[];
      causes: { cause: string; temporary: number; permanent: number; action: string }[];
      codes: { code: string; count: number }[];
    };
    expect(json.from).toBe('2026-11-09T00:00:00+00:00');
    expect(json.to).toBe('2026-11-23T00:00:00+00:00');
    expect(json.totals).toEqual({ sent: 380, deferred: 46, bounced: 15, expired: 2, rejected: 14 });
    expect(json.domains.map((d) => d.domain)).toContain('tiny.example');
    expect(json.causes.find((c) => c.cause === 'greylisted')).toMatchObject({ temporary: 14, permanent: 0 });
    expect(json.codes.reduce((n, c) => n + c.count, 0)).toBe(46 + 15 + 3);
  });

  it('takes the database from BOUNCEWATCH_DB and the week from --week', async () => {
    const r = await run(['--week', '2026-W46', '--format', 'json', '--tz', 'UTC'], {
      BOUNCEWATCH_DB: dbFile,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { label: string; totals: { sent: number; expired: number } };
    expect(json.label).toBe('2026-W46');
    expect(json.totals).toMatchObject({ sent: 190, expired: 0 });
  });

  it('writes md by default and picks the format from --out', async () => {
    const md = await run(['--db', dbFile, '--week', '2026-W47', '--tz', 'UTC']);
    expect(md.stdout).toMatch(/^# Deliverability report: 2026-W47\n/);
    const out = join(dir, 'week.html');
    const html = await run(['--db', dbFile, '--week', '2026-W47', '--tz', 'UTC', '--out', out]);
    expect(html.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    const csv = await run(['--db', dbFile, '--from', '2026-11-16', '--to', '2026-11-22', '--format', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'from,to,domain,provider,cause,sent,deferred,bounced,expired,rejected,temporary,permanent',
    );
  });

  it('writes the suppression list with --addresses', async () => {
    const r = await run(['--db', dbFile, '--week', '2026-W47', '--addresses', '--tz', 'UTC']);
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toBe('address,domain,cause,code,last_seen,bounces,reply');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'gone47-6@gmail.com',
      'gone47-4@gmail.com',
      'gone47-2@gmail.com',
      'anna@gmial.com',
      'gone47-0@gmail.com',
    ]);
  });

  it('reports years of sparse data per month, lists only the months with events, and labels them with the year', async () => {
    // An old import: a few days in 2024, one in 2025, one in 2026 (two years and more of all-zero days between).
    const file = join(dir, 'sparse.db');
    const db = openDatabase({ file });
    const batch = emptyBatch();
    for (const day of ['2024-03-05', '2024-03-06', '2025-11-20', '2026-02-10'])
      batch.attempts.push(attempt(Date.parse(`${day}T10:00:00Z`), 'gone@gmail.com', UNKNOWN));
    createBatchWriter(db).write(batch);
    db.close();

    const md = await run(['--db', file, '--all', '--tz', 'UTC']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Failures per month');
    const rows = md.stdout.split('\n').filter((l) => /^\| \d{4}-\d\d \|/.test(l));
    expect(rows.map((l) => l.slice(2, 9))).toEqual(['2024-03', '2025-11', '2026-02']);
    expect(md.stdout).toContain('21 months without any event are not listed.');
    // The whole report stays short: the empty months are not rows.
    expect(md.stdout.split('\n').length).toBeLessThan(150);

    const html = await run(['--db', file, '--all', '--tz', 'UTC', '--format', 'html']);
    expect(html.stdout).toContain('2024-03');
    const rowsHtml = html.stdout.match(/<tr[ >]/g)?.length ?? 0;
    expect(rowsHtml).toBeGreaterThan(3);
    expect(rowsHtml).toBeLessThan(80);
  });

  it('refuses bad flags with one line', async () => {
    expect(await usageError(['--db', dbFile, '--week', '2026-W54'])).toBe(
      "--week takes an ISO week like 2026-W47, not '2026-W54'",
    );
    expect(await usageError(['--db', dbFile, '--format', 'pdf'])).toBe(
      "--format takes md, html, json, csv, not 'pdf'",
    );
    expect(await usageError(['--db', dbFile, '--week', '2026-W47', '--all'])).toMatch(/choose one of/);
    expect(await usageError(['--db', dbFile, '--from', '2026-11-16'])).toBe('--from and --to go together');
    expect(await usageError(['--db', dbFile, '--from', '2026-11-20', '--to', '2026-11-16'])).toBe(
      '--to must be after --from',
    );
    expect(await usageError(['--db', dbFile, '--bogus'])).toMatch(/bogus/);
    expect(await usageError(['--db', dbFile, '--mail-to', 'a@b.example\nBcc: x@y.example'])).toMatch(
      /--mail-to/,
    );
    expect(await usageError(['--db', dbFile, '--tz', 'Mars/Olympus'])).toMatch(/--tz/);
    for (const args of [
      ['--week', '2026-W54'],
      ['--format', 'pdf'],
    ]) {
      expect(await usageError(['--db', dbFile, ...args])).not.toContain('\n');
    }
  });

  it('says clearly when the database is missing or empty', async () => {
    await expect(run(['--db', join(dir, 'nope.db'), '--all'])).rejects.toThrow(/no database at .*nope\.db/);
    const empty = join(dir, 'empty.db');
    openDatabase({ file: empty }).close();
    await expect(run(['--db', empty, '--all'])).rejects.toThrow(/holds no mail events yet/);
    await expect(run(['--db', empty, '--week', '2026-W47'])).rejects.toThrow(/holds no mail events yet/);
  });

  it('mails html with the md as text part through sendmail -t -oi', async () => {
    const captured = join(dir, 'mail.eml');
    const argsFile = join(dir, 'mail.args');
    const fake = join(dir, 'fake-sendmail');
    writeFileSync(fake, `#!/bin/sh\necho "$@" > '${argsFile}'\ncat > '${captured}'\n`);
    chmodSync(fake, 0o755);
    const r = await run(
      ['--db', dbFile, '--week', '2026-W47', '--tz', 'UTC', '--mail-to', 'ops@example.org'],
      {
        BOUNCEWATCH_SENDMAIL: fake,
        BOUNCEWATCH_MAIL_FROM: 'bouncewatch@mail.example.org',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(argsFile, 'utf8').trim()).toBe('-t -oi');
    const message = readFileSync(captured, 'utf8');
    const cut = message.indexOf('\r\n\r\n');
    const head = message.slice(0, cut);
    const body = message.slice(cut + 4);
    expect(head).toMatch(/^From: bouncewatch@mail\.example\.org$/m);
    expect(head).toMatch(/^To: ops@example\.org$/m);
    expect(head).toMatch(
      /^Subject: Deliverability report 2026-W47: 6\.9% bounced, 16\.3% deferred, \d+ new problems$/m,
    );
    expect(head).toMatch(/^MIME-Version: 1\.0$/m);
    const boundary = /boundary="([^"]+)"/.exec(head)?.[1];
    expect(boundary).toBeDefined();
    const parts = message.split(`--${boundary!}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    const decode = (part: string) => {
      const [h, b] = part.replace(/^\r\n/, '').split('\r\n\r\n', 2) as [string, string];
      return { head: h, text: Buffer.from(b.replace(/\r\n/g, ''), 'base64').toString('utf8') };
    };
    const [text, html] = parts.map(decode) as [ReturnType<typeof decode>, ReturnType<typeof decode>];
    expect(text.head).toContain('Content-Type: text/plain; charset=utf-8');
    expect(text.text).toMatch(/^# Deliverability report: 2026-W47/);
    expect(html.head).toContain('Content-Type: text/html; charset=utf-8');
    expect(html.text).toMatch(/^<!DOCTYPE html>/);
    expect(html.text).not.toMatch(/<script/i);
    expect(body.split('\r\n').every((l) => l.length <= 998)).toBe(true);
  });

  it('fails with sendmail’s words when sendmail fails', async () => {
    const fake = join(dir, 'broken-sendmail');
    writeFileSync(fake, '#!/bin/sh\ncat >/dev/null\necho "queue file write error" >&2\nexit 75\n');
    chmodSync(fake, 0o755);
    await expect(
      run(['--db', dbFile, '--week', '2026-W47', '--mail-to', 'ops@example.org'], {
        BOUNCEWATCH_SENDMAIL: fake,
      }),
    ).rejects.toThrow(/exited with status 75: queue file write error/);
  });
});
