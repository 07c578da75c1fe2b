/** A store read stopped at its time budget becomes a 503 that says so, whichever service asked. */

import { StoreTimeoutError } from '../../db/store/errors.js';
import type { StoreReader } from '../../db/store/reader.js';
import { HttpError } from '../http/errors.js';

const tooSlow = (err: unknown): never => {
  if (err instanceof StoreTimeoutError) {
    throw new HttpError(
      503,
      'too-slow',
      `the store stopped a read that took longer than ${Math.round(err.budgetMs / 1000)} s (${err.method}); try a shorter range`,
      { 'Retry-After': '60' },
    );
  }
  throw err;
};

/** The same reader, its time-budget refusals turned into HTTP answers. */
export function answerTooSlow(reader: StoreReader): StoreReader {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(reader) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    wrapped[name] = (...args: unknown[]) => method(...args).catch(tooSlow);
  }
  return wrapped as unknown as StoreReader;
}
