// The commands the CLI suggests must work from where the user is: `npx bouncewatch` inside the project (npm puts
// no project's own command on the PATH), `bouncewatch` once installed globally, else node with the path.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandForUser } from '../../../server/cli/invocation.js';

const root = new URL('../../../', import.meta.url).pathname.replace(/\/$/, '');
const bin = join(root, 'server/cli/bin.ts');

describe('commandForUser', () => {
  it('is npx bouncewatch inside the project, also in a folder of it', () => {
    expect(commandForUser({ PATH: '/usr/bin' }, root)).toBe('npx bouncewatch');
    expect(commandForUser({ PATH: '/usr/bin' }, join(root, 'docs'))).toBe('npx bouncewatch');
  });

  it('is node with the path of the executable elsewhere', () => {
    const away = mkdtempSync(join(tmpdir(), 'bw-away-'));
    const cmd = commandForUser({ PATH: '/usr/bin' }, away);
    expect(cmd).toMatch(/^node \S+server\/cli\/bin\.ts$/);
    const path = cmd.slice('node '.length);
    expect(path.startsWith('/') ? path : join(away, path)).toBe(bin);
  });

  it('is bouncewatch when the command on the PATH is this one (npm install -g .), not another', () => {
    const path = mkdtempSync(join(tmpdir(), 'bw-path-'));
    symlinkSync(bin, join(path, 'bouncewatch'));
    expect(commandForUser({ PATH: `/usr/bin:${path}` }, tmpdir())).toBe('bouncewatch');
    const other = mkdtempSync(join(tmpdir(), 'bw-other-'));
    symlinkSync('/usr/bin/true', join(other, 'bouncewatch'));
    expect(commandForUser({ PATH: other }, tmpdir())).not.toBe('bouncewatch');
  });
});
