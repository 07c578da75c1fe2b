/**
 * Exim writes each panic to its mainlog as well as to its paniclog, with the same time and text. Where the paniclog is
 * read, the two are one event: it counts once, as a panic, however the main log's parser graded its copy.
 */

import { warningShape, type WarningLike } from './warning-shapes.js';

/** Both copies carry the time Exim wrote once; the slack only absorbs a parser's rounding (ms against whole seconds). */
export const PANIC_COPY_WINDOW_MS = 2_000;

/** Main-log lines of one shape counted together (an hour's fact, or a range's group). */
interface CountedLines {
  count: number;
  first: number;
  last: number;
}

/**
 * Pairs each of `panics` with its copy among `rows`: one line of the same shape counted within the window of its time
 * (between the row's first and last line, give or take the window). Returns the rows without their copies (a row left
 * with no line is dropped) and the panics that found none. The panics themselves count apart, as panics.
 */
export function pairPanicCopies<R extends CountedLines>(
  rows: readonly R[],
  shapeOf: (row: R) => string,
  panics: readonly WarningLike[],
): { rows: R[]; alone: WarningLike[] } {
  if (panics.length === 0 || rows.length === 0) return { rows: [...rows], alone: [...panics] };
  const byShape = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const shape = shapeOf(r);
    const list = byShape.get(shape);
    if (list) list.push(i);
    else byShape.set(shape, [i]);
  });
  const left = rows.map((r) => r.count);
  const alone: WarningLike[] = [];
  for (const p of panics) {
    const copy = (byShape.get(warningShape(p.text)) ?? []).find(
      (i) =>
        left[i]! > 0 &&
        p.ts >= rows[i]!.first - PANIC_COPY_WINDOW_MS &&
        p.ts <= rows[i]!.last + PANIC_COPY_WINDOW_MS,
    );
    if (copy === undefined) alone.push(p);
    else left[copy] = left[copy]! - 1;
  }
  return {
    rows: rows.flatMap((r, i) =>
      left[i] === 0 ? [] : [left[i] === r.count ? r : { ...r, count: left[i]! }],
    ),
    alone,
  };
}

/** `rows` without the main log's copies of `panics` (see pairPanicCopies). */
export function withoutPanicCopies<R extends CountedLines>(
  rows: readonly R[],
  shapeOf: (row: R) => string,
  panics: readonly WarningLike[],
): R[] {
  return pairPanicCopies(rows, shapeOf, panics).rows;
}
