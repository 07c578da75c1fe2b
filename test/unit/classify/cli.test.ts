import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../server/cli/args.js';
import { classifyCommand } from '../../../server/cli/commands/classify.js';
import { explainCommand } from '../../../server/cli/commands/explain.js';
import { memoryIo } from '../../helpers/cli.js';

const io = memoryIo;

describe('bouncewatch classify', () => {
  it('prints a readable answer for a pasted reply', async () => {
    const t = io();
    const code = await classifyCommand.run(
      ['554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'],
      t.io,
    );
    expect(code).toBe(0);
    expect(t.out()).toMatch(/class:\s+permanent/);
    expect(t.out()).toMatch(/cause:\s+reputation-blocklist/);
    expect(t.out()).toMatch(/hard bounce:\s+no/);
    expect(t.out()).toMatch(/blocklist:\s+zen\.spamhaus\.org/);
    expect(t.out()).toMatch(/action:\s+\S/);
  });

  it('prints the object with --json, using --host and --stage', async () => {
    const t = io();
    await classifyCommand.run(
      ['--json', '--host', 'gmail-smtp-in.l.google.com', '--stage', 'rcpt', '550 5.1.1 no such user'],
      t.io,
    );
    const obj = JSON.parse(t.out()) as Record<string, unknown>;
    expect(obj).toMatchObject({
      class: 'permanent',
      cause: 'recipient-unknown',
      hardBounce: true,
      replyCode: 550,
      enhancedStatus: '5.1.1',
      provider: 'google',
    });
  });

  it('reads the text from stdin when no TEXT is given', async () => {
    const t = io('452 4.2.2 Mailbox full\n');
    expect(await classifyCommand.run(['--json'], t.io)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ cause: 'mailbox-full', class: 'temporary' });
  });

  it('classifies JSON lines and answers bad lines with an error object and exit 1', async () => {
    const lines = [
      JSON.stringify({
        diagnostic: 'User unknown',
        reply: '550',
        status: '5.1.1',
        stage: 'rcpt',
        relayHost: 'mx01.mail.icloud.com',
      }),
      '{not json',
      JSON.stringify({ diagnostic: 'Greylisted, try again later', reply: 450 }),
      '',
      JSON.stringify({ diagnostic: 42 }),
    ].join('\n');
    const t = io(lines);
    expect(await classifyCommand.run(['--jsonl'], t.io)).toBe(1);
    const out = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({
      cause: 'recipient-unknown',
      hardBounce: true,
      replyCode: 550,
      enhancedStatus: '5.1.1',
      provider: 'apple',
    });
    expect(Object.keys(out[0]!)).toEqual(
      expect.arrayContaining([
        'class',
        'cause',
        'hardBounce',
        'action',
        'replyCode',
        'enhancedStatus',
        'provider',
      ]),
    );
    expect(out[1]).toMatchObject({ error: { code: 'bad-line', line: 2 } });
    expect(out[2]).toMatchObject({ cause: 'greylisted', class: 'temporary' });
    expect(out[3]).toMatchObject({ error: { line: 5 } });
    expect(t.err()).toMatch(/2 line/);
  });

  it('gives the reason for its decision, and the conflict when code and text disagree', async () => {
    const t = io();
    await classifyCommand.run(['--json', '552 5.2.2 Message rejected for policy reasons'], t.io);
    const obj = JSON.parse(t.out()) as Record<string, unknown>;
    expect(obj['reason']).toMatch(/outweighs the enhanced status 5\.2\.2/);
    expect(obj['conflict']).toBe(obj['reason']);
    const human = io();
    await classifyCommand.run(['450 5.1.1 User unknown'], human.io);
    expect(human.out()).toMatch(
      /conflict:\s+The text says .*Class permanent from the enhanced status 5\.1\.1, although reply 450 says temporary/,
    );
  });

  it('leaves the class open for a text that says nothing', async () => {
    const t = io();
    await classifyCommand.run(['--json', 'hello'], t.io);
    expect(JSON.parse(t.out())).toMatchObject({ class: null, cause: 'unclassified' });
    const human = io();
    await classifyCommand.run(['hello'], human.io);
    expect(human.out()).toMatch(/class:\s+unknown/);
  });

  it('links the provider page that matches the cause', async () => {
    const t = io();
    await classifyCommand.run(
      [
        '--json',
        '--host',
        'gmail-smtp-in.l.google.com',
        '552 5.2.2 The email account that you tried to reach is over quota.',
      ],
      t.io,
    );
    const obj = JSON.parse(t.out()) as Record<string, unknown>;
    expect(obj['providerHelp']).toBe('https://support.google.com/a/answer/3726730');
    expect(obj['action']).not.toMatch(/answer\/81126/);
  });

  it('refuses bad usage', async () => {
    await expect(classifyCommand.run(['--stage', 'nowhere', 'x'], io().io)).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(classifyCommand.run(['--jsonl', 'text'], io().io)).rejects.toBeInstanceOf(UsageError);
    await expect(classifyCommand.run([], io('').io)).rejects.toBeInstanceOf(UsageError);
    await expect(classifyCommand.run(['--bogus'], io().io)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('bouncewatch explain', () => {
  it('explains 550, 4.7.1 and 5.7.26', async () => {
    for (const [arg, re] of [
      ['550', /mailbox unavailable/i],
      ['4.7.1', /temporary/],
      ['5.7.26', /authentication/i],
    ] as const) {
      const t = io();
      expect(await explainCommand.run([arg], t.io)).toBe(0);
      expect(t.out()).toMatch(re);
      expect(t.out()).toMatch(/What to do:/);
    }
  });

  it('accepts "550 5.7.1" as one or two arguments and prints JSON with --json', async () => {
    const t = io();
    await explainCommand.run(['--json', '550', '5.7.1'], t.io);
    expect(JSON.parse(t.out())).toMatchObject({ kind: 'combined', class: 'permanent' });
  });

  it('gives how large providers use a code next to its RFC meaning, with the source page', async () => {
    const t = io();
    await explainCommand.run(['5.4.1'], t.io);
    expect(t.out()).toMatch(/No answer from host/);
    expect(t.out()).toMatch(
      /How large providers use it:[\s\S]*Microsoft[^\n]*Access denied[^\n]*recipient-unknown/,
    );
    expect(t.out()).toMatch(/source: https:\/\/learn\.microsoft\.com\//);
  });

  it('fails with exit 1 for an unknown code and a usage error for a non-code', async () => {
    await expect(explainCommand.run(['599'], io().io)).rejects.toThrow(/unknown code/);
    await expect(explainCommand.run(['hello'], io().io)).rejects.toBeInstanceOf(UsageError);
    await expect(explainCommand.run([], io().io)).rejects.toBeInstanceOf(UsageError);
  });
});
