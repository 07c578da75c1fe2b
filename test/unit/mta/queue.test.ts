// Queue figures from recorded `postqueue -j`, `exim -bp` and `exim -bpc` outputs, and how a refused command reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEximQueueCount, readEximQueueList } from '../../../server/mta/exim-queue.js';
import { readPostqueueJson } from '../../../server/mta/postqueue-json.js';
import { createQueueReader, type RunCommand } from '../../../server/mta/queue-reader.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/mta/${name}`, import.meta.url), 'utf8');
/** The time the fixtures were recorded at (test/fixtures/mta/SOURCE.txt). */
const READ_AT = Date.UTC(2026, 10, 23, 12);

describe('postqueue -j', () => {
  const q = readPostqueueJson(fixture('postqueue-j.jsonl'), READ_AT);

  it('counts messages, bytes, queues and the oldest arrival', () => {
    expect(q).toMatchObject({ mta: 'postfix', messages: 5, bytes: 2456 + 10240 + 800 + 55000 + 300 });
    expect(q).toMatchObject({ deferred: 2, held: 1, oldestAgeSeconds: 86_400, unreadable: 1 });
  });

  it('counts deferred recipients per domain, once per message and once per recipient, case folded', () => {
    expect(q.deferredByDomain).toEqual([
      { domain: 'slow.example.net', messages: 2, recipients: 3 },
      { domain: 'greylist.example.com', messages: 1, recipients: 1 },
    ]);
  });

  it('reads an empty queue as empty, with no age', () => {
    expect(readPostqueueJson('', READ_AT)).toMatchObject({ messages: 0, bytes: 0, oldestAgeSeconds: null });
  });
});

describe('exim -bp and -bpc', () => {
  const q = readEximQueueList(fixture('exim-bp.txt'), READ_AT);

  it('reads ages, sizes, frozen messages and the oldest age', () => {
    expect(q).toMatchObject({
      mta: 'exim',
      messages: 4,
      held: 1,
      oldestAgeSeconds: 4 * 86_400,
      unreadable: 0,
    });
    expect(q.bytes).toBe(Math.round(2.9 * 1024) + Math.round(1.2 * 1024) + 150 + 2 * 1024 * 1024);
  });

  it('counts only the recipients not yet delivered, and messages with none waiting are not deferred', () => {
    expect(q.deferred).toBe(3);
    expect(q.deferredByDomain).toEqual([
      { domain: 'slow.example.net', messages: 1, recipients: 2 },
      { domain: 'gone.example', messages: 1, recipients: 1 },
      { domain: 'greylist.example.com', messages: 1, recipients: 1 },
    ]);
  });

  it('reads the count, and refuses what is not one', () => {
    expect(readEximQueueCount(fixture('exim-bpc.txt'))).toBe(4);
    expect(readEximQueueCount('exim: permission denied\n')).toBeNull();
  });

  it('counts a stray line as unreadable', () => {
    expect(readEximQueueList('garbage here\n', READ_AT)).toMatchObject({ messages: 0, unreadable: 1 });
  });
});

describe('the queue reader', () => {
  const recorded =
    (outputs: Record<string, string>): RunCommand =>
    (file, args) => {
      const out = outputs[[file, ...args].join(' ')];
      return out === undefined ? Promise.reject(new Error(`unexpected ${file}`)) : Promise.resolve(out);
    };

  it('runs postqueue -j for Postfix', async () => {
    const reader = createQueueReader({
      mta: 'postfix',
      listLimit: 1000,
      now: () => READ_AT,
      run: recorded({ 'postqueue -j': fixture('postqueue-j.jsonl') }),
    });
    expect(await reader.read()).toMatchObject({ ok: true, snapshot: { messages: 5, deferred: 2 } });
  });

  it('lists an Exim queue within the limit and only counts a longer one', async () => {
    const run = recorded({ 'exim -bpc': fixture('exim-bpc.txt'), 'exim -bp': fixture('exim-bp.txt') });
    const listed = await createQueueReader({ mta: 'exim', listLimit: 10, now: () => READ_AT, run }).read();
    expect(listed).toMatchObject({ ok: true, snapshot: { messages: 4, oldestAgeSeconds: 345_600 } });
    const counted = await createQueueReader({ mta: 'exim', listLimit: 3, now: () => READ_AT, run }).read();
    expect(counted).toMatchObject({
      ok: true,
      snapshot: { messages: 4, bytes: null, oldestAgeSeconds: null },
    });
  });

  it('tells a refusal and a missing command apart from other failures', async () => {
    const fail =
      (err: object): RunCommand =>
      () =>
        Promise.reject(Object.assign(new Error('failed'), err));
    const read = (run: RunCommand) =>
      createQueueReader({ mta: 'exim', listLimit: 10, now: () => READ_AT, run }).read();
    expect(await read(fail({ code: 1, stderrLine: 'exim: permission denied' }))).toMatchObject({
      ok: false,
      reason: 'not-permitted',
    });
    expect(await read(fail({ code: 'ENOENT' }))).toMatchObject({ ok: false, reason: 'not-installed' });
    expect(await read(fail({ code: 2, stderrLine: 'spool directory missing' }))).toMatchObject({
      ok: false,
      reason: 'failed',
      message: 'exim: spool directory missing',
    });
  });
});
