import { describe, expect, it } from 'vitest';
import { historyLines } from '../../../scripts/bench/history-log.js';

const DAY_MS = 86_400_000;
// A Sunday at noon: four whole weeks before it.
const END_MS = Date.UTC(2026, 10, 29, 12, 0, 0);

function collect(lines: number, days: number) {
  return [
    ...historyLines({
      lines,
      days,
      endMs: END_MS,
      hosts: ['mx1.example', 'mx2.example', 'mx3.example'],
      domains: 200,
    }),
  ];
}

describe('the history bench log', () => {
  const out = collect(60_000, 28);

  it('merges the hosts in time order, inside the span', () => {
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThanOrEqual(out[i - 1]!.t);
    expect(out[0]!.t).toBeGreaterThanOrEqual(END_MS - 28 * DAY_MS);
    expect(out[out.length - 1]!.t).toBeLessThanOrEqual(END_MS);
    for (const host of ['mx1.example', 'mx2.example', 'mx3.example']) {
      expect(out.filter((l) => l.line.includes(` ${host} postfix/`)).length).toBeGreaterThan(out.length / 5);
    }
  });

  it('holds about the lines asked for, fewer on weekends', () => {
    expect(out.length).toBeGreaterThan(60_000 * 0.8);
    expect(out.length).toBeLessThan(60_000 * 1.2);
    const perDay = new Map<number, number>();
    for (const { t } of out) {
      const day = new Date(t).getUTCDay();
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const weekend = (perDay.get(0)! + perDay.get(6)!) / 2;
    const weekday = [1, 2, 3, 4, 5].reduce((n, d) => n + perDay.get(d)!, 0) / 5;
    expect(weekend / weekday).toBeGreaterThan(0.2);
    expect(weekend / weekday).toBeLessThan(0.5);
  });
});
