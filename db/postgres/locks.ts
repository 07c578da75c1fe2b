/**
 * PostgreSQL advisory locks of the fleet, as (class, key) pairs: the class keeps bouncewatch's locks apart from
 * anything else an administrator runs on the same database.
 */

/** Held while migrations run, by whichever process starts first. */
export const MIGRATION_LOCK = [0x6277_0001, 0] as const;
