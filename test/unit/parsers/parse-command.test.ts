import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../server/cli/args.js';
import type { CliIo } from '../../../server/cli/command.js';
import { parseCommand } from '../../../server/cli/commands/parse.js';

async function run(argv: string[], input: string): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const io: CliIo = { stdin: Readable.from([input]), stdout, stderr: new PassThrough(), env: {} };
  const code = await parseCommand.run(argv, io);
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

describe('bouncewatch parse', () => {
  it('writes one JSON record per input line', async () => {
    const input = [
      'Nov  3 10:00:00 mx postfix/qmgr[1]: ABCDEF1234: removed',
      'Nov  3 10:00:01 mx dovecot: hello',
      '',
      '2026-11-28 10:00:00 1tX9aB-0004Qz-7K Completed',
    ].join('\n');
    const { code, out } = await run(['--year', '2024'], `${input}\n`);
    expect(code).toBe(0);
    const records = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; ts: string | null });
    expect(records.map((r) => r.kind)).toEqual(['message', 'foreign', 'foreign', 'message']);
    expect(records[0]!.ts!.startsWith('2024-11-0')).toBe(true);
  });

  it('gives reject records the keys the CLI contract lists for delivery and reject records', async () => {
    const line =
      'Nov  3 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.9]: 550 5.1.1 <t@example.com>: unknown; from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<c>';
    const { out } = await run([], `${line}\n`);
    const r = JSON.parse(out) as Record<string, unknown>;
    for (const key of [
      'ts',
      'host',
      'mta',
      'program',
      'queueId',
      'recipient',
      'recipientDomain',
      'outcome',
      'relayHost',
      'relayIp',
      'stage',
      'replyCode',
      'enhancedStatus',
      'dsn',
      'diagnostic',
    ]) {
      expect(r).toHaveProperty(key);
    }
    expect(r).toMatchObject({ kind: 'reject', outcome: 'rejected', clientIp: '192.0.2.9', replyCode: 550 });
  });

  it('rejects a bad --year and stray arguments as usage errors', async () => {
    await expect(run(['--year', 'soon'], '')).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--nope'], '')).rejects.toBeInstanceOf(UsageError);
    await expect(run(['file.log'], '')).rejects.toBeInstanceOf(UsageError);
  });

  it('waits for a slow reader (backpressure) and still writes every record', async () => {
    let written = '';
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        writes++;
        written += chunk.toString('utf8');
        setTimeout(done, 2);
      },
    });
    const line = 'Nov  3 10:00:00 mx postfix/qmgr[1]: ABCDEF1234: removed\n';
    const io: CliIo = {
      stdin: Readable.from([line.repeat(5_000)]),
      stdout: slow,
      stderr: new PassThrough(),
      env: {},
    };
    expect(await parseCommand.run([], io)).toBe(0);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(written.split('\n').length - 1).toBe(5_000);
    expect(writes).toBeGreaterThan(1);
  });

  it('ends quietly when the reader goes away (EPIPE)', async () => {
    const gone = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const line = 'Nov  3 10:00:00 mx postfix/qmgr[1]: ABCDEF1234: removed\n';
    const io: CliIo = {
      stdin: Readable.from([line.repeat(5_000)]),
      stdout: gone,
      stderr: new PassThrough(),
      env: {},
    };
    expect(await parseCommand.run([], io)).toBe(0);
  });

  it('writes every record of a long input (output is batched)', async () => {
    const line = 'Nov  3 10:00:00 mx postfix/qmgr[1]: ABCDEF1234: removed\n';
    const { out } = await run([], line.repeat(20_000));
    expect(out.split('\n').length - 1).toBe(20_000);
  });
});
