/** Store failures as HTTP answers, whichever service asked: a read past its time budget, a damaged database. */

import { DAMAGE_ADVICE, StoreDamagedError } from '../../db/store/damage.js';
import { StoreTimeoutError } from '../../db/store/errors.js';
import type { StoreReader } from '../../db/store/reader.js';
import { HttpError } from '../http/errors.js';

const asHttp = (err: unknown, onDamage: (detail: string) => void, onFailure: () => void): never => {
  if (err instanceof StoreDamagedError) {
    onDamage(err.detail);
    throw new HttpError(503, 'database-damaged', DAMAGE_ADVICE);
  }
  if (err instanceof StoreTimeoutError) {
    throw new HttpError(
      503,
      'too-slow',
      `the store stopped a read that took longer than ${Math.round(err.budgetMs / 1000)} s (${err.method}); try a shorter range`,
      { 'Retry-After': '60' },
    );
  }
  onFailure();
  throw err;
};

/**
 * The same reader, its failures turned into HTTP answers; damage is also told to `onDamage` (health), and any
 * other failure to `onFailure` (health checks the store again).
 */
export function answerStoreErrors(
  reader: StoreReader,
  onDamage: (detail: string) => void,
  onFailure: () => void = () => undefined,
): StoreReader {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(reader) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    wrapped[name] = (...args: unknown[]) =>
      method(...args).catch((err: unknown) => asHttp(err, onDamage, onFailure));
  }
  return wrapped as unknown as StoreReader;
}
