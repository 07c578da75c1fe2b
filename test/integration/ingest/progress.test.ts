/** The progress bar of `bouncewatch ingest` on a terminal, through the end of a bulk import. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateLines } from '../../../server/demo/generate.js';
import { writeLines } from '../../../server/demo/write-lines.js';
import { main } from '../../../server/cli/main.js';
import { memoryIo } from '../../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-progress-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest progress on a terminal', () => {
  it('says what is left once every line is read: the indexes of a bulk import', async () => {
    // More than 4 MiB into an empty database: a bulk import, its indexes built at the end.
    const log = join(dir, 'mail.log');
    await writeLines(
      log,
      generateLines({ format: 'postfix', lines: 40_000, seed: 5, endMs: Date.UTC(2026, 10, 20), days: 2 }),
    );
    const t = memoryIo();
    Object.assign(t.io.stderr, { isTTY: true });
    const code = await main(['ingest', '--db', join(dir, 'bw.db'), log], t.io);
    expect(code).toBe(0);
    const frames = t.err().split('\r');
    const last = frames.findLastIndex((f) => f.includes('%'));
    expect(frames.some((f) => /\] +\d+% file 1\/1 .* lines\/s {2}ETA/.test(f))).toBe(true);
    expect(frames[last]).toMatch(/\[#{24}\] 100% file 1\/1 +40,000 lines +building the indexes\.\.\.$/);
    // The bar is cleared before the summary.
    expect(frames.at(-1)).toBe('\x1b[K');
    expect(t.out()).toContain('read      40,000 lines');
  }, 60_000);
});
