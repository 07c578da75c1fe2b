// `ingest -` stops at once on SIGINT or SIGTERM, stdin still open: it commits what it read and exits 130 or 143.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/sqlite/open.js';
import { ensureBuilt, repoRoot } from '../../helpers/cli.js';
import { attempts, sentBlock } from './helpers.js';

let dir: string;
let dbFile: string;
beforeAll(() => ensureBuilt());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-ingest-signal-'));
  dbFile = join(dir, 'bw.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stored = () => {
  if (!existsSync(dbFile)) return { total: 0, distinct: 0 };
  const db = openDatabase({ file: dbFile, readonly: true });
  try {
    return attempts(db);
  } catch {
    return { total: 0, distinct: 0 }; // not migrated yet
  } finally {
    db.close();
  }
};

describe('bouncewatch ingest - and signals', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: commits what it read and exits ${status} while stdin stays open`, async () => {
      const child = spawn(
        process.execPath,
        [join(repoRoot, 'dist/server/cli/bin.js'), 'ingest', '--db', dbFile, '-'],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      // Once it stops, our pending writes meet a closed pipe: expected, as for any reader that quits.
      child.stdin.on('error', () => undefined);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // More lines than one batch holds, so some are committed while it reads; then it waits on the open pipe.
      const lines = 30_000;
      child.stdin.write(sentBlock(0, lines));
      for (let i = 0; stored().total === 0; i++) {
        if (i > 600) throw new Error(`nothing committed; stderr: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill(signal);
      expect(await exited).toBe(status);
      expect(stderr).toContain('interrupted; the lines read so far are saved');
      const after = stored();
      expect(after.total).toBeGreaterThan(0);
      expect(after.total).toBeLessThanOrEqual(lines);
      expect(after.distinct).toBe(after.total);
      child.stdin.destroy();
    }, 90_000);
  }
});
