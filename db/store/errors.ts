/** Failures of the store that the layers above answer in their own words (an HTTP status, a CLI message). */

/** A read ran past its time budget and was stopped, so that everything else keeps answering. */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
  constructor(
    readonly method: string,
    readonly budgetMs: number,
  ) {
    super(`${method} took longer than ${Math.round(budgetMs / 1000)} s and was stopped`);
  }
}
