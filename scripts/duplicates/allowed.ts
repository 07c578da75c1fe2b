/**
 * The allow-list of repeated code (lint/duplicates-allowed.txt): which pairs the `duplicates` tool reports stay,
 * each with the reason written next to it, and which reported pairs have none.
 */

/** One pair the tool reports: two places that share six or more lines. */
export interface Pair {
  /** The tool's row, as printed (`D3 a.ts:10-24 ~ b.ts:40-54 shape`). */
  row: string;
  a: string;
  b: string;
}

/** One entry of the list: two path globs (either order) and why the pairs between them stay. */
export interface Allowance {
  line: number;
  a: RegExp;
  b: RegExp;
  text: string;
  reason: string;
}

/** What one run of the tool says: its pairs, and whether it read and listed the whole tree. */
export interface Report {
  pairs: Pair[];
  /** `incomplete:` lines and a cut list (`(+N more pairs)`): the pairs then speak only of part of the tree. */
  gaps: string[];
}

const ROW = /^D\d+ (\S+):\d+-\d+ ~ (\S+):\d+-\d+\b/;

/** Reads the tool's output. */
export function parseReport(output: string): Report {
  const pairs: Pair[] = [];
  const gaps: string[] = [];
  for (const row of output.split('\n')) {
    const m = ROW.exec(row);
    if (m) pairs.push({ row, a: m[1]!, b: m[2]! });
    else if (row.startsWith('incomplete:') || /^\(\+\d+ more pairs\)/.test(row)) gaps.push(row);
  }
  return { pairs, gaps };
}

/** A path glob as a regex: `**` any folders, `*` within one name, `{a,b}` either. */
export function globToRegExp(glob: string): RegExp {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      src += '.*';
      i++;
    } else if (ch === '*') src += '[^/]*';
    else if (ch === '{') src += '(?:';
    else if (ch === '}') src += ')';
    else if (ch === ',') src += '|';
    else src += ch.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`);
}

/**
 * Reads the list: `glob ~ glob: reason`, one entry a line; `#` starts a comment line. An entry without a reason,
 * or a line of another form, is an error: a pair may stay only with its reason.
 */
export function parseAllowList(text: string): { allowances: Allowance[]; errors: string[] } {
  const allowances: Allowance[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+) ~ (\S+?):\s+(\S.*)$/.exec(line);
    if (!m) {
      errors.push(`line ${i + 1}: expected "glob ~ glob: reason", got "${line}"`);
      return;
    }
    allowances.push({
      line: i + 1,
      a: globToRegExp(m[1]!),
      b: globToRegExp(m[2]!),
      text: line,
      reason: m[3]!,
    });
  });
  return { allowances, errors };
}

function allows(al: Allowance, p: Pair): boolean {
  return (al.a.test(p.a) && al.b.test(p.b)) || (al.a.test(p.b) && al.b.test(p.a));
}

/** The pairs no entry allows, and the entries that allow no pair (their code has changed: look again). */
export function compare(pairs: readonly Pair[], allowances: readonly Allowance[]) {
  const used = new Set<Allowance>();
  const unexplained: Pair[] = [];
  for (const p of pairs) {
    const al = allowances.find((x) => allows(x, p));
    if (al) used.add(al);
    else unexplained.push(p);
  }
  return { unexplained, unused: allowances.filter((al) => !used.has(al)) };
}
