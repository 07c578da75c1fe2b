/**
 * How the user can run bouncewatch from where they are, for the commands the CLI suggests: `bouncewatch` when
 * that is on the PATH, `npx bouncewatch` inside the project after `npm install && npm start` (npm does not put
 * a project's own command on the PATH), else node with the path of the executable.
 */

import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
/** The executable beside this module: dist/server/cli/bin.js (bin.ts when the sources run, in tests). */
const BIN = join(dirname(HERE), `bin${extname(HERE)}`);
/** The project folder that holds it: the nearest folder up with a package.json (it names the command). */
function projectRoot(from: string): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const ROOT = projectRoot(BIN);

function realpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function onPath(env: NodeJS.ProcessEnv): boolean {
  const bin = realpath(BIN);
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    // A bouncewatch of another install would run other code: only a link to this one counts.
    if (realpath(join(dir, 'bouncewatch')) === bin) return true;
  }
  return false;
}

const inside = (dir: string, root: string) => dir === root || dir.startsWith(root + sep);

export function commandForUser(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  if (onPath(env)) return 'bouncewatch';
  if (inside(resolve(cwd), ROOT)) return 'npx bouncewatch';
  const rel = relative(cwd, BIN);
  return `node ${rel.length < BIN.length ? rel : BIN}`;
}
