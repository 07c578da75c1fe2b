/**
 * Minute rollups cover the last two days only (they serve the live views): ingest writes none for older
 * minutes, and retention deletes them as they age. Queries at minute precision further back count the raw
 * attempts and rejects instead (db/sqlite/read/raw-cells.ts).
 */
export const MINUTE_ROLLUPS_KEPT_MS = 2 * 86_400_000;
