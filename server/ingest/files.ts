/** Which files to read and in what order: globs, and rotated sets oldest first (mail.log.3.gz ... mail.log). */

import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface RotationName {
  /** The live name the file was rotated from (mail.log for mail.log.2.gz). */
  base: string;
  /** Higher is older: .3 = 3, -20261101 = -20261101 (dates sort older first by their negation), live = 0. */
  age: number;
}

/** Reads mail.log.2.gz, mail.log.1, mail.log-20261101.gz, mail.log.gz, mail.log as (base, age). */
export function rotationName(path: string): RotationName {
  const noGz = path.endsWith('.gz') ? path.slice(0, -3) : path;
  const numbered = /^(.*)\.(\d{1,3})$/.exec(noGz);
  if (numbered) return { base: numbered[1]!, age: Number(numbered[2]) };
  const dated = /^(.*)-(\d{8})(?:\d{2})?$/.exec(noGz);
  if (dated) return { base: dated[1]!, age: 1e9 - Number(dated[2]) };
  // mail.log.gz without a number: older than the live file, newer than .1.
  return { base: noGz, age: noGz === path ? 0 : 0.5 };
}

/**
 * Orders paths for import: files of one rotated set together, oldest first; sets in the order their first
 * member was given. Duplicates are dropped.
 */
export function orderForImport(paths: readonly string[]): string[] {
  const groups = new Map<string, { path: string; age: number }[]>();
  for (const path of new Set(paths)) {
    const { base, age } = rotationName(path);
    let group = groups.get(base);
    if (!group) {
      group = [];
      groups.set(base, group);
    }
    group.push({ path, age });
  }
  const out: string[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => b.age - a.age);
    for (const g of group) out.push(g.path);
  }
  return out;
}

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re +=
          '[' +
          glob
            .slice(i + 1, end)
            .replace(/^!/, '^')
            .replace(/\\/g, '\\\\') +
          ']';
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The names in a folder; none when it cannot be read (missing, or no permission): then no file matches. */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Expands globs in the file name part (shells usually do this; quoted patterns and config lists do not). */
export function expandGlobs(patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const name = basename(p);
    if (!hasGlob(name)) {
      out.push(p);
      continue;
    }
    const dir = dirname(p);
    const re = globToRegExp(name);
    for (const e of listDir(dir).sort())
      if (re.test(e)) out.push(dir === '.' && !p.startsWith('./') ? e : join(dir, e));
  }
  return out;
}

/** The rotated siblings of a live log (mail.log.1, mail.log.2.gz, mail.log-20261101 ...), oldest first, live file excluded. */
export function rotatedSiblings(path: string, maxAge = 5): string[] {
  const dir = dirname(path);
  const name = basename(path);
  const found: { path: string; age: number }[] = [];
  for (const e of listDir(dir)) {
    if (e === name || !e.startsWith(name)) continue;
    const full = join(dir, e);
    const r = rotationName(full);
    if (r.base !== join(dir, name) || r.age === 0) continue;
    if (r.age >= 1 && r.age < 1e6 && r.age > maxAge) continue;
    found.push({ path: full, age: r.age });
  }
  // The newest dated files only: a long dated history is not a catch-up candidate.
  found.sort((a, b) => b.age - a.age);
  return found.slice(-maxAge * 2).map((f) => f.path);
}
