// The dispatcher's contract: every command has help, bad usage is one line with exit 2.
import { describe, expect, it } from 'vitest';
import { commands, main } from '../../../server/cli/main.js';
import { memoryIo } from '../../helpers/cli.js';

async function call(argv: string[]) {
  const t = memoryIo();
  const code = await main(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

describe('bouncewatch CLI dispatcher', () => {
  it('lists every command of the design contract in --help', async () => {
    const r = await call(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['run', 'ingest', 'follow', 'serve', 'report', 'parse', 'classify', 'explain']) {
      expect(r.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('exits 2 with usage when no command is given', async () => {
    const r = await call([]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Usage: bouncewatch COMMAND');
  });

  it('rejects an unknown command in one line', async () => {
    const r = await call(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });

  it.each(commands.map((c) => c.name))('%s --help prints its usage', async (name) => {
    const r = await call([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`Usage: bouncewatch ${name}`));
  });
});
