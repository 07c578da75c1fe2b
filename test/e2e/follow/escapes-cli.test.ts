// Terminal escapes written into a log by a stranger reach the terminal only as visible text (`\x1b`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixLife } from '../../fixtures/ingest/lines.js';
import { T0 } from './helpers.js';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'dist/server/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'bw-escapes-'));
const dbFile = join(dir, 'bw.db');
/** Clear the screen and set the window title. */
const ESC = '\x1b[2J\x1b]0;owned\x07';
// eslint-disable-next-line no-control-regex -- the test looks for exactly these
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args, '--db', dbFile], { encoding: 'utf8', env: { ...process.env } });

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('dist/ is missing: run `npm run build` before the e2e tests');
  const lines = [
    ...postfixLife(1, T0, [
      {
        to: 'gone@example.net',
        status: 'bounced',
        reply: `host mx.example.net[198.51.100.30] said: 550 5.1.1 no such user ${ESC}here (in reply to RCPT TO command)`,
      },
    ]),
    `Nov 27 06:00:01 mx1 postfix/smtp[77]: a line nobody reads ${ESC}`,
  ];
  writeFileSync(join(dir, 'mail.log'), lines.join('\n') + '\n');
  const r = cli('ingest', '--year', '2026', join(dir, 'mail.log'));
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log text on the terminal', () => {
  it('ingest --show-unparsed shows the escape sequence instead of sending it', () => {
    const r = cli('ingest', '--show-unparsed');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('a line nobody reads \\x1b[2J\\x1b]0;owned\\x07');
    expect(r.stdout).not.toMatch(RAW);
  });

  it('report --addresses and the Markdown report show it too', () => {
    const addresses = cli('report', '--all', '--addresses');
    expect(addresses.status, addresses.stderr).toBe(0);
    expect(addresses.stdout).toContain('gone@example.net');
    expect(addresses.stdout).toContain('\\x1b[2J');
    expect(addresses.stdout.replace(/\r\n/g, '\n')).not.toMatch(RAW);
    const md = cli('report', '--all', '--format', 'md');
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain('\\\\x1b\\[2J');
    expect(md.stdout).not.toMatch(RAW);
  });
});
