/**
 * PostgreSQL advisory locks of the fleet, as (class, key) pairs: the class keeps bouncewatch's locks apart from
 * anything else an administrator runs on the same database.
 */

/** Held while migrations run, by whichever process starts first. */
export const MIGRATION_LOCK = [0x6277_0001, 0] as const;
/** Held for a host's whole run by its one writer (agent or import); the key is the host's dictionary id. */
export const WRITER_LOCK_CLASS = 0x6277_0002;
/** Held for a moment while a day's partitions are created. */
export const PARTITION_LOCK = [0x6277_0004, 0] as const;
/** Held by the one `serve` (or `run`) of a fleet that runs the alert engine, for as long as its connection lives. */
export const ALERT_LEADER_LOCK = [0x6277_0008, 0] as const;
