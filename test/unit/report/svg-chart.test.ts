// The inline SVG chart: round axes, one stacked bar per point, escaped labels, no scripts.
import { describe, expect, it } from 'vitest';
import { niceScale, stackedBarChart } from '../../../server/report/svg-chart.js';

describe('niceScale', () => {
  it.each([
    [0, 4, 1],
    [3, 3, 1],
    [7, 8, 2],
    [10, 10, 5],
    [37, 40, 10],
    [120, 150, 50],
    [999, 1000, 500],
  ])('max %i gives top %i step %i', (max, top, step) => {
    expect(niceScale(max)).toEqual({ top, step });
  });
});

describe('stackedBarChart', () => {
  const svg = stackedBarChart({
    description: 'Failures <per> day',
    series: [
      { name: 'Temporary', color: '#111111' },
      { name: 'Permanent', color: '#222222' },
    ],
    points: [
      { label: 'Mon 16', title: 'Mon 2026-11-16', values: [3, 1] },
      { label: 'Tue 17', title: 'Tue 2026-11-17', values: [0, 2] },
      { label: '<b>', title: 'x', values: [0, 0] },
    ],
  });

  it('draws a rect per non-zero value, stacked on the same x', () => {
    const temp = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#111111"/g),
    ];
    const perm = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#222222"/g),
    ];
    // One bar segment each plus the legend swatch (which sits at y=8).
    expect(temp.filter((m) => m[2] !== '8')).toHaveLength(1);
    expect(perm.filter((m) => m[2] !== '8')).toHaveLength(2);
    const [t] = temp.filter((m) => m[2] !== '8');
    const [p] = perm.filter((m) => m[2] !== '8');
    expect(p![1]).toBe(t![1]);
    // The permanent segment sits on top of the temporary one: its bottom is the temporary's top.
    expect(Number(p![2]) + Number(p![3])).toBeCloseTo(Number(t![2]), 0);
    // Heights are proportional: 3 to 1.
    expect(Number(t![3]) / Number(p![3])).toBeCloseTo(3, 1);
  });

  it('escapes text and carries no script', () => {
    expect(svg).toContain('aria-label="Failures &lt;per&gt; day"');
    expect(svg).toContain('>&lt;b&gt;</text>');
    expect(svg).not.toMatch(/<script|on\w+=/i);
  });
});
