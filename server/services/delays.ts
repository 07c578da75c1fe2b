/** What the dashboard, report and API answer about delivery delay: per domain or provider, against the period before. */

import type { StoreReader } from '../../db/store/reader.js';
import type { DelaysResponse, ReportDelays } from '../http/contract/delays.js';
import type { RangeInfo } from '../http/contract/common.js';
import { delayFigures, emptyCounts, histogramsOf } from './delay-quantiles.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DelaysService {
  delays(
    range: RangeInfo,
    by: 'domain' | 'provider',
    key: string | null,
    limit: number,
  ): Promise<DelaysResponse>;
}

/** Points of the trend: hours up to two days, days up to two months, weeks beyond (the histograms are per hour). */
const delayStep = (span: number): number => (span <= 2 * DAY ? HOUR : span <= 62 * DAY ? DAY : 7 * DAY);

/** The rows of a range and of the one of equal length before it: the busiest keys with both periods' figures. */
async function delayTable(
  reader: Pick<StoreReader, 'delayHistograms'>,
  range: RangeInfo,
  by: 'domain' | 'provider',
  key: string | null,
  limit: number,
): Promise<Pick<DelaysResponse, 'overall' | 'rows'>> {
  const previous = { from: range.from - (range.to - range.from), to: range.from };
  const q = { by, key, host: range.host };
  const all = { by: key === null ? null : by, key, host: range.host };
  const [now, before, total, totalBefore] = await Promise.all([
    reader.delayHistograms(range, q),
    reader.delayHistograms(previous, q),
    reader.delayHistograms(range, all),
    reader.delayHistograms(previous, all),
  ]);
  const cur = histogramsOf(now);
  const prev = histogramsOf(before);
  const sum = (rows: typeof total) =>
    histogramsOf(rows.map((r) => ({ ...r, key: '' }))).get('') ?? emptyCounts();
  const rows = [...cur]
    .map(([k, counts]) => ({
      key: k,
      ...delayFigures(counts),
      previous: delayFigures(prev.get(k) ?? emptyCounts()),
    }))
    .sort((a, b) => b.delivered - a.delivered || a.key.localeCompare(b.key))
    .slice(0, limit);
  return {
    overall: { key: '', ...delayFigures(sum(total)), previous: delayFigures(sum(totalBefore)) },
    rows,
  };
}

/** How many domains and providers the report lists. */
const REPORT_LISTED = 20;

/** The report's delay section: every delivery, and the busiest domains and providers, against the period before. */
export async function reportDelays(
  reader: Pick<StoreReader, 'delayHistograms'>,
  range: { from: number; to: number },
): Promise<ReportDelays> {
  const whole = { from: range.from, to: range.to, host: null };
  const [domains, providers] = await Promise.all([
    delayTable(reader, whole, 'domain', null, REPORT_LISTED),
    delayTable(reader, whole, 'provider', null, REPORT_LISTED),
  ]);
  return { overall: domains.overall, domains: domains.rows, providers: providers.rows };
}

export function createDelaysService(deps: { reader: Pick<StoreReader, 'delayHistograms'> }): DelaysService {
  const { reader } = deps;
  return {
    async delays(range, by, key, limit) {
      const step = delayStep(range.to - range.from);
      const [table, points] = await Promise.all([
        delayTable(reader, range, by, key, limit),
        reader.delayHistograms(range, { by: key === null ? null : by, key, host: range.host, step }),
      ]);
      const series = [...histogramsOf(points, true)]
        .map(([t, counts]) => ({ t: Number(t), ...delayFigures(counts) }))
        .sort((a, b) => a.t - b.t);
      return { range, by, key, ...table, series: { step, points: series } };
    },
  };
}
