/** A store whose file or tables are damaged: every layer above answers it the same way, with what to do. */

export const DAMAGE_ADVICE =
  'the database is damaged: stop bouncewatch, run `bouncewatch check-db` and follow what it says (restore the backup, or recover the rows into a new file)';

export class StoreDamagedError extends Error {
  override readonly name = 'StoreDamagedError';
  constructor(readonly detail: string) {
    super(`${DAMAGE_ADVICE} (${detail})`);
  }
}
