import {
  appendFileSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FollowHandle } from '../../../server/ingest/engine.js';
import { postfixSent } from '../../fixtures/ingest/lines.js';
import { setup, type Env } from '../../integration/ingest/helpers.js';
import { attempts, burstBlock, readLines, sentBlock, sleep, T0, waitFor } from './helpers.js';

let env: Env;
let log: string;
let handle: FollowHandle | null = null;

const start = (opts: { fromEnd?: boolean } = {}) => {
  handle = env.ingest.follow([log], { pollMs: 50, rotationGraceMs: 300, ...opts });
  return handle;
};
const expectExactly = (n: number) => {
  expect(attempts(env.db)).toEqual({ total: n, distinct: n });
};
/** Waits for `n` more finished rounds of the follower: whatever it would do with what it saw, it has done. */
const afterRounds = (n: number) => {
  const target = env.rounds() + n;
  return waitFor(() => env.rounds() >= target, 10_000, `${n} more follow rounds`);
};
const reach = (n: number, timeoutMs = 20_000) =>
  waitFor(() => attempts(env.db).total >= n, timeoutMs, `${n} attempts (have ${attempts(env.db).total})`);

beforeEach(() => {
  env = setup('bw-follow-');
  log = join(env.dir, 'mail.log');
});
afterEach(async () => {
  await handle?.stop();
  handle = null;
  env.cleanup();
});

describe('follow', () => {
  it('waits for a file that appears later, then loses and doubles nothing over steady appends', async () => {
    const h = start();
    await h.ready;
    await afterRounds(1);
    writeFileSync(log, '');
    let n = 0;
    for (let round = 0; round < 40; round++) {
      appendFileSync(log, sentBlock(n, 50));
      n += 50;
      await sleep(15);
    }
    await reach(n);
    await h.stop();
    expectExactly(n);
    expect(readLines(env.db)).toBe(n);
  });

  it('takes a 500k-line burst', async () => {
    writeFileSync(log, sentBlock(0, 10));
    const h = start();
    await h.ready;
    await reach(10);
    // 500k lines in one write, one in a hundred a delivery: every line counted once, every delivery stored once.
    const total = 500_000;
    const parts: string[] = [];
    for (let i = 0; i < total; i += 10_000) parts.push(burstBlock(10 + i / 100, 10_000));
    appendFileSync(log, parts.join(''));
    await waitFor(() => readLines(env.db) >= total + 10, 55_000, 'the burst to be read');
    await h.stop();
    expect(readLines(env.db)).toBe(total + 10);
    expectExactly(10 + total / 100);
  }, 60_000);

  it('follows a create rotation, including lines written to the old file just after the rename', async () => {
    writeFileSync(log, sentBlock(0, 100));
    const h = start();
    await reach(100);
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, sentBlock(100, 20));
    writeFileSync(log, sentBlock(120, 30));
    await sleep(100);
    appendFileSync(log, sentBlock(150, 50));
    await reach(200);
    await h.stop();
    expectExactly(200);
  });

  it('follows a rotation whose old file is compressed and removed at once', async () => {
    writeFileSync(log, sentBlock(0, 100));
    const h = start();
    await reach(100);
    appendFileSync(log, sentBlock(100, 50));
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(150, 50));
    writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(`${log}.1`)));
    rmSync(`${log}.1`);
    await reach(200);
    await afterRounds(2);
    await h.stop();
    expectExactly(200);
  });

  it('reads a partial last line only once it is completed', async () => {
    const line = postfixSent(7, T0);
    writeFileSync(log, sentBlock(0, 5) + line.slice(0, 60));
    const h = start();
    await reach(5);
    await afterRounds(2);
    expectExactly(5);
    appendFileSync(log, line.slice(60) + '\n');
    await reach(6);
    await h.stop();
    expectExactly(6);
    expect(attempts(env.db).distinct).toBe(6);
  });

  it('survives invalid UTF-8 and a 1 MB line', async () => {
    writeFileSync(log, sentBlock(0, 3));
    const h = start();
    await reach(3);
    appendFileSync(
      log,
      Buffer.concat([
        Buffer.from('Nov 27 06:00:00 mx1 postfix/smtp[9]: '),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('\n'),
      ]),
    );
    appendFileSync(
      log,
      `Nov 27 06:00:00 mx1 postfix/smtp[9]: ABCDEF1234: to=<${'y'.repeat(1024 * 1024)}@example.net>\n`,
    );
    appendFileSync(log, sentBlock(3, 3));
    await reach(6);
    await waitFor(() => readLines(env.db) === 8, 5000, 'all 8 lines counted');
    await h.stop();
    expectExactly(6);
  });

  it('resumes after a restart exactly where it stopped, also after two rotations while stopped', async () => {
    writeFileSync(log, sentBlock(0, 100));
    let h = start();
    await reach(100);
    await h.stop();
    // While stopped: more lines, rotate (.1), more lines, rotate again (.1 -> .2.gz), more lines.
    appendFileSync(log, sentBlock(100, 40));
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(140, 40));
    writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
    rmSync(`${log}.1`);
    renameSync(log, `${log}.1`);
    writeFileSync(log, sentBlock(180, 20));
    env.ingest = env.restart();
    h = start();
    await h.ready;
    await reach(200);
    appendFileSync(log, sentBlock(200, 10));
    await reach(210);
    await h.stop();
    expectExactly(210);
  });

  it('with --from-end skips the history on the first start only', async () => {
    writeFileSync(log, sentBlock(0, 50));
    let h = start({ fromEnd: true });
    await h.ready;
    appendFileSync(log, sentBlock(50, 5));
    await reach(5);
    await h.stop();
    appendFileSync(log, sentBlock(55, 5));
    env.ingest = env.restart();
    h = start({ fromEnd: true });
    await reach(10);
    await h.stop();
    expectExactly(10);
    expect(attempts(env.db).distinct).toBe(10);
  });

  it('after copytruncate reads the new lines once and rescues unread lines from the copy', async () => {
    writeFileSync(log, sentBlock(0, 50));
    const h = start();
    await reach(50);
    // logrotate copytruncate: copy, then truncate in place; lines written between the two would be lost.
    appendFileSync(log, sentBlock(50, 10));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, sentBlock(60, 10));
    await reach(70);
    await afterRounds(2);
    await h.stop();
    expectExactly(70);
  });
});
