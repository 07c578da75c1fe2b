import { StoreDamagedError } from '../store/damage.js';
import { isDamage } from './integrity.js';

/** Runs a synchronous store call now and answers its result (or its error) as a settled promise. */
export function settle<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (err) {
    // A damaged file is said once, in the store's words, whatever asked.
    if (isDamage(err))
      return Promise.reject(new StoreDamagedError(err instanceof Error ? err.message : String(err)));
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
