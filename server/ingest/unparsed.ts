/** Unparsed lines: a shape per line (variable parts masked) so the first sample of each distinct shape is kept. */

import type { CountedSample } from '../../db/store/batch.js';

/** Distinct shapes remembered per process; past this only the per-program counts grow. */
const MAX_SHAPES = 2000;
/** Characters of a line stored as a sample. */
const MAX_SAMPLE = 2000;

const MASKS: readonly (readonly [RegExp, string])[] = [
  [/<[^<>\s]*>/g, '<A>'],
  [/[\w.+-]+@[\w.-]+/g, 'A@D'],
  [/\[[0-9a-fA-F:.]+\]/g, '[IP]'],
  [/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g, 'Mon'],
  [/\b[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}\b/g, 'ID'],
  [/\b(?=[0-9A-Za-z]*\d)[0-9A-Fa-f]{6,}\b/g, 'H'],
  [/\d+/g, '#'],
  [/\s+/g, ' '],
];

/** The line with addresses, IPs, ids, months and numbers masked, so lines that differ only there share a shape. */
export function lineShape(line: string): string {
  let s = line.length > 400 ? line.slice(0, 400) : line;
  for (const [re, to] of MASKS) s = s.replace(re, to);
  return s;
}

export interface UnparsedSampler {
  /** Counts a line and keeps it as a sample if its shape is new. */
  add(program: string, reason: string, line: string, ts: number | null): void;
  /** Samples and counts gathered since the last take (for the next batch). */
  take(): { counts: Map<string, number>; samples: CountedSample[] };
}

export function createUnparsedSampler(): UnparsedSampler {
  const seen = new Set<string>();
  let counts = new Map<string, number>();
  let samples = new Map<string, CountedSample>();
  return {
    add(program, reason, line, ts) {
      counts.set(program, (counts.get(program) ?? 0) + 1);
      const shape = lineShape(line);
      const key = program + '\u0001' + shape;
      const pending = samples.get(key);
      if (pending) {
        pending.count = (pending.count ?? 1) + 1;
        return;
      }
      // A shape already stored only gets its count raised (the upsert keeps the first sample's line).
      if (!seen.has(key)) {
        if (seen.size >= MAX_SHAPES) return;
        seen.add(key);
      }
      samples.set(key, { program, shape, reason, line: line.slice(0, MAX_SAMPLE), ts, count: 1 });
    },
    take() {
      const out = { counts, samples: [...samples.values()] };
      counts = new Map();
      samples = new Map();
      return out;
    },
  };
}
