/** chart.js, registered with only the parts we draw, and the two chart shapes the dashboard uses. */

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { SeriesResponse } from '../../server/http/contract/overview.js';
import { h } from './dom.js';
import { fmtBucket, fmtInt } from './format.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

const COLORS = {
  sent: '#2f7d4f',
  deferred: '#c98a00',
  temporary: '#c98a00',
  bounced: '#c0392b',
  permanent: '#c0392b',
  expired: '#7b241c',
  rejected: '#5d6d7e',
} as const;

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#4a5563';

export interface ChartHandle {
  element: HTMLElement;
  update(series: SeriesResponse): void;
  destroy(): void;
}

type Kind = 'failures' | 'outcomes';

function datasets(kind: Kind, s: SeriesResponse): ChartDataset<'bar', number[]>[] {
  if (kind === 'failures') {
    return [
      {
        label: 'Temporary (deferred, 4xx)',
        data: s.classes.temporary,
        backgroundColor: COLORS.temporary,
        stack: 'f',
      },
      {
        label: 'Permanent (bounced, 5xx)',
        data: s.classes.permanent,
        backgroundColor: COLORS.permanent,
        stack: 'f',
      },
    ];
  }
  return [
    { label: 'Delivered', data: s.outcomes.sent, backgroundColor: COLORS.sent, stack: 'o' },
    { label: 'Deferred', data: s.outcomes.deferred, backgroundColor: COLORS.deferred, stack: 'o' },
    { label: 'Bounced', data: s.outcomes.bounced, backgroundColor: COLORS.bounced, stack: 'o' },
    { label: 'Expired', data: s.outcomes.expired, backgroundColor: COLORS.expired, stack: 'o' },
    { label: 'Rejected (inbound)', data: s.outcomes.rejected, backgroundColor: COLORS.rejected, stack: 'o' },
  ];
}

/** A stacked bar chart over time, with a text summary for screen readers. */
export function timeChart(
  parent: HTMLElement,
  kind: Kind,
  title: string,
  series: SeriesResponse,
): ChartHandle {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const summary = h('p', { class: 'sr-only' });
  const wrap = h('div', { class: 'chart', 'data-testid': `chart-${kind}` }, canvas, summary);
  // chart.js measures its container: attach before drawing.
  parent.replaceChildren(wrap);
  const labels = (s: SeriesResponse) => s.buckets.map((b) => fmtBucket(b, s.step));
  const describe = (s: SeriesResponse) => {
    const total = (
      kind === 'failures' ? [...s.classes.temporary, ...s.classes.permanent] : s.outcomes.sent
    ).reduce((a, b) => a + b, 0);
    summary.textContent = `${title}: ${fmtInt(total)} in ${s.buckets.length} intervals.`;
  };
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: labels(series), datasets: datasets(kind, series) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${fmtInt(Number(c.raw))}` } },
      },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
  describe(series);
  wrap.dataset['drawn'] = String(series.buckets.length);
  return {
    element: wrap,
    update(s) {
      chart.data.labels = labels(s);
      const next = datasets(kind, s);
      chart.data.datasets.forEach((d, i) => {
        d.data = next[i]?.data ?? [];
      });
      chart.update('none');
      describe(s);
      wrap.dataset['drawn'] = String(s.buckets.length);
    },
    destroy: () => chart.destroy(),
  };
}
