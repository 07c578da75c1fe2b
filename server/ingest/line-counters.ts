/** Line counters by name (line_stats), kept in a numeric array on the hot path and taken as rows at each batch. */

const STAT_NAMES = [
  'read',
  'delivery',
  'reject',
  'message',
  'notification',
  'ignored',
  'unparsed',
  'foreign',
  'warning',
  'error',
  'fatal',
  'panic',
  'expired-messages',
  'note',
  'probe',
  'debug',
  'discarded',
  'wait',
  'hop',
  'session',
] as const;
type StatName = (typeof STAT_NAMES)[number];

/** Indexes of the counters the hot path counts by number (the order of STAT_NAMES). */
export const [READ, DELIVERY, REJECT, MESSAGE, NOTIFICATION, IGNORED, UNPARSED, FOREIGN] = [
  0, 1, 2, 3, 4, 5, 6, 7,
] as const;

const STAT_INDEX = Object.fromEntries(STAT_NAMES.map((n, i) => [n, i])) as Record<StatName, number>;

export interface LineCounters {
  inc(index: number): void;
  count(name: StatName): void;
  /** The counts since the last take, by name (none that stayed zero), and zero again. */
  take(): Map<string, number>;
}

export function createLineCounters(): LineCounters {
  const stats = new Float64Array(STAT_NAMES.length);
  const inc = (i: number) => {
    stats[i] = stats[i]! + 1;
  };
  return {
    inc,
    count: (name) => inc(STAT_INDEX[name]),
    take() {
      const taken = new Map<string, number>();
      for (let i = 0; i < STAT_NAMES.length; i++) {
        if (stats[i]! > 0) taken.set(STAT_NAMES[i]!, stats[i]!);
      }
      stats.fill(0);
      return taken;
    },
  };
}
