/** Absolute time ranges from what a client asked: a preset, or from/to, bounded on both sides. */

import { HttpError } from '../http/errors.js';
import { MAX_SPAN, MAX_SPAN_YEARS, RANGE_PRESETS, type RangePreset } from '../http/contract/params.js';
import type { RangeInfo } from '../http/contract/common.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface RangeRequest {
  range?: RangePreset | undefined;
  from?: number | undefined;
  to?: number | undefined;
  host?: string | undefined;
}

/** [from, to) and the host filter, as the answers echo them. */
export type ResolvedRange = RangeInfo;

const invalid = (message: string) => new HttpError(400, 'invalid-range', message);

/** Turns preset or from/to into an absolute range: `to` defaults to now, `from` to 24 hours before `to`. */
export function resolveRange(q: RangeRequest, now: number): ResolvedRange {
  if (q.range && (q.from !== undefined || q.to !== undefined)) {
    throw invalid('give either range or from/to, not both');
  }
  const to = q.to ?? now;
  const from = q.range ? to - RANGE_PRESETS[q.range] : (q.from ?? to - DAY);
  if (to <= from) throw invalid('from must be before to');
  if (to - from < MINUTE) throw invalid('the range must be at least one minute long');
  if (to - from > MAX_SPAN) throw invalid(`the range must be at most ${MAX_SPAN_YEARS} years long`);
  return { from, to, host: q.host ?? null };
}
