/**
 * Time blocks (migration 0012): the earliest and latest time of each run of 1,024 consecutive attempt ids, and the
 * earliest first line of each run of 1,024 life ids, in place of a time index on every row. Rows are stored about
 * in time order, so a time range is a few id ranges: the blocks whose span meets it, read along the primary key
 * and filtered by time. A block is exact: ingest widens it as rows come, retention narrows it as rows go.
 */

/** Ids per block, as a shift: block = id >> BLOCK_SHIFT. */
export const BLOCK_SHIFT = 10;
/** Ids per block (a number: ids outgrow the 32 bits of JavaScript's shifts). */
export const BLOCK_SIZE = 2 ** BLOCK_SHIFT;

/** The id range of block `b` (an SQL expression of the block column), for `id BETWEEN ...`. */
export const blockIds = (b: string) =>
  `(${b}.block << ${BLOCK_SHIFT}) AND (${b}.block << ${BLOCK_SHIFT}) + ${(1 << BLOCK_SHIFT) - 1}`;

/** Ids of the attempt rows whose time is in [@from, @to), found through their blocks. */
export const attemptIdsInRange = `SELECT a.id FROM attempt_blocks b JOIN attempt_rows a ON a.id BETWEEN ${blockIds('b')}
  WHERE b.min_ts < @to AND b.max_ts >= @from AND a.ts >= @from AND a.ts < @to`;
