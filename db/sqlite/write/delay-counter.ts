/** Counts the delays of delivered recipients into per-hour histograms (delay_hours, migrations 0015 and 0016) while a group of batches is written. */

import { delayBucket } from '../../store/delay-buckets.js';
import { createKeyedFacts } from '../../store/keyed-facts.js';
import { ATTEMPT_UNTIMED } from '../../store/stored-rows.js';
import { DELAY_BUCKETS, packDelayCounts } from '../delay-cells.js';
import { ATTEMPT_COLUMNS } from './columns.js';
import type { Value } from './pack-batch.js';

const HOUR_MS = 3_600_000;

const AT = {
  ts: ATTEMPT_COLUMNS.indexOf('ts'),
  host: ATTEMPT_COLUMNS.indexOf('host'),
  domain: ATTEMPT_COLUMNS.indexOf('recipient_domain'),
  provider: ATTEMPT_COLUMNS.indexOf('provider'),
  outcome: ATTEMPT_COLUMNS.indexOf('outcome'),
  delay: ATTEMPT_COLUMNS.indexOf('delay'),
  flags: ATTEMPT_COLUMNS.indexOf('flags'),
};

/** The key columns of a delay_hours row, in the order rows() gives them; its counts follow as one blob. */
export const DELAY_KEY_COLUMNS = ['hour', 'host', 'domain', 'provider'] as const;
export const DELAY_COLUMNS = [...DELAY_KEY_COLUMNS, 'counts'] as const;

interface Cell {
  hour: number;
  host: string;
  domain: string;
  provider: string | null;
  counts: Uint32Array;
}

export interface DelayCounter {
  /** Counts the delivered recipients with a delay among packed attempts. */
  add(attempts: readonly Value[]): void;
  /**
   * The cells counted: their keys (DELAY_KEY_COLUMNS, the hour in hours since the epoch, host, domain and provider
   * as texts, provider null when none) flattened, and each one's counts packed (delay-cells.ts); counting starts afresh.
   */
  rows(): { keys: Value[]; counts: Buffer[] };
}

/** Cells found by (hour, host, domain, provider) through nested maps: no key string is joined per attempt. */
export function createDelayCounter(): DelayCounter {
  const cells = createKeyedFacts<Cell>();
  return {
    add(attempts) {
      const a = AT;
      for (let o = 0; o < attempts.length; o += ATTEMPT_COLUMNS.length) {
        const delay = attempts[o + a.delay];
        if (typeof delay !== 'number' || attempts[o + a.outcome] !== 'sent') continue;
        if (((attempts[o + a.flags] as number) & ATTEMPT_UNTIMED) !== 0) continue;
        const ts = attempts[o + a.ts] as number;
        const hour = ts - (((ts % HOUR_MS) + HOUR_MS) % HOUR_MS);
        const host = attempts[o + a.host] as string;
        const domain = attempts[o + a.domain] as string;
        const provider = attempts[o + a.provider] as string | null;
        let cell = cells.find(hour, host, domain, provider ?? '');
        if (!cell) {
          cell = { hour, host, domain, provider, counts: new Uint32Array(DELAY_BUCKETS) };
          cells.add(hour, host, domain, provider ?? '', cell);
        }
        cell.counts[delayBucket(delay)]!++;
      }
    },
    rows() {
      const keys: Value[] = [];
      const counts: Buffer[] = [];
      for (const c of cells.take()) {
        keys.push(c.hour / HOUR_MS, c.host, c.domain, c.provider);
        counts.push(packDelayCounts(c.counts));
      }
      return { keys, counts };
    },
  };
}
