/**
 * chart.js, registered with only the parts we draw, and the stacked time chart the dashboard uses: with a text
 * summary, a table to show instead, a note when the range is empty, and a drag across it to narrow the range.
 */

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { SeriesResponse } from '../../server/http/contract/overview.js';
import { h } from './dom.js';
import { crossesYear, fmtBucket, fmtInt } from './format.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const COLORS = {
  sent: '#2f7d4f',
  temporary: '#c98a00',
  permanent: '#c0392b',
  expired: '#7b241c',
  rejected: '#5d6d7e',
} as const;

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export interface ChartHandle {
  element: HTMLElement;
  update(series: SeriesResponse): void;
  destroy(): void;
}

type Kind = 'failures' | 'outcomes';

interface Column {
  label: string;
  data: number[];
  color: string;
}

function columns(kind: Kind, s: SeriesResponse): Column[] {
  if (kind === 'failures') {
    return [
      { label: 'Temporary (deferred, 4xx)', data: s.classes.temporary, color: COLORS.temporary },
      { label: 'Permanent (bounced, 5xx)', data: s.classes.permanent, color: COLORS.permanent },
    ];
  }
  return [
    { label: 'Delivered', data: s.outcomes.sent, color: COLORS.sent },
    { label: 'Deferred', data: s.outcomes.deferred, color: COLORS.temporary },
    { label: 'Bounced', data: s.outcomes.bounced, color: COLORS.permanent },
    { label: 'Expired', data: s.outcomes.expired, color: COLORS.expired },
    { label: 'Rejected (inbound)', data: s.outcomes.rejected, color: COLORS.rejected },
  ];
}

const datasets = (cols: Column[]): ChartDataset<'bar', number[]>[] =>
  cols.map((c) => ({ label: c.label, data: c.data, backgroundColor: c.color, stack: 's' }));

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** One sentence a screen reader (and anyone) can read instead of the bars: totals, and the busiest bucket. */
function describeSeries(kind: Kind, s: SeriesResponse): string {
  const cols = columns(kind, s);
  const totals = cols.map((c) => ({ label: c.label, total: sum(c.data) }));
  const all = sum(totals.map((t) => t.total));
  const withYear = crossesYear(s.buckets);
  const first = s.buckets[0];
  const last = s.buckets.at(-1);
  if (all === 0 || first === undefined || last === undefined) return 'No data in this range.';
  let peak = 0;
  let peakAt = first;
  s.buckets.forEach((b, i) => {
    const n = sum(cols.map((c) => c.data[i] ?? 0));
    if (n > peak) [peak, peakAt] = [n, b];
  });
  const parts = totals.filter((t) => t.total > 0).map((t) => `${fmtInt(t.total)} ${t.label.toLowerCase()}`);
  return (
    `${parts.join(', ')} from ${fmtBucket(first, s.step, withYear)} to ${fmtBucket(last + s.step, s.step, withYear)}; ` +
    `the most, ${fmtInt(peak)}, at ${fmtBucket(peakAt, s.step, withYear)}.`
  );
}

function dataTable(kind: Kind, s: SeriesResponse, caption: string): HTMLElement {
  const cols = columns(kind, s);
  const withYear = crossesYear(s.buckets);
  const rows = s.buckets
    .map((b, i) => ({ b, values: cols.map((c) => c.data[i] ?? 0) }))
    .filter((r) => sum(r.values) > 0);
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No data in this range.');
  return h(
    'div',
    // A box that scrolls must be reachable by keyboard to be scrolled.
    { class: 'table-wrap chart-table', tabindex: '0', role: 'region', 'aria-label': `${caption}: table` },
    h(
      'table',
      null,
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, 'From'),
          ...cols.map((c) => h('th', { scope: 'col', class: 'num' }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((r) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row', class: 'nowrap' }, fmtBucket(r.b, s.step, withYear)),
            ...r.values.map((v) => h('td', { class: 'num' }, fmtInt(v))),
          ),
        ),
      ),
    ),
  );
}

/** The colours the page's stylesheet gives text and grid lines (light or dark). */
function inkColors(): { text: string; grid: string } {
  const style = getComputedStyle(document.documentElement);
  return {
    text: style.getPropertyValue('--muted').trim() || '#4a5563',
    grid: style.getPropertyValue('--line').trim() || '#dde3ea',
  };
}

export interface TimeChartOptions {
  /** Called with [from, to) when the user drags across some bars; the page narrows its range to it. */
  onSelect?: (from: number, to: number) => void;
}

/** A stacked bar chart over time, with a visible text summary and a "show as table" alternative. */
export function timeChart(
  parent: HTMLElement,
  kind: Kind,
  title: string,
  series: SeriesResponse,
  options: TimeChartOptions = {},
): ChartHandle {
  let current = series;
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const empty = h('p', { class: 'chart-empty', hidden: '' }, 'No data in this range.');
  const band = h('div', { class: 'chart-band', hidden: '' });
  const plot = h('div', { class: 'chart', 'data-testid': `chart-${kind}` }, canvas, band, empty);
  const summary = h('p', { class: 'chart-summary', 'data-testid': 'chart-summary' });
  const tableSlot = h('div', { hidden: '' });
  tableSlot.id = `t-${Math.random().toString(36).slice(2, 10)}`;
  const toggle = h(
    'button',
    { type: 'button', class: 'link-button', 'aria-expanded': 'false', 'aria-controls': tableSlot.id },
    'Show as table',
  );
  const wrap = h(
    'figure',
    { class: 'chart-figure' },
    plot,
    h('figcaption', { class: 'chart-caption' }, summary, ' ', toggle),
    tableSlot,
  );
  toggle.addEventListener('click', () => {
    const open = tableSlot.hidden;
    tableSlot.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide the table' : 'Show as table';
    if (open) tableSlot.replaceChildren(dataTable(kind, current, title));
  });
  // chart.js measures its container: attach before drawing.
  parent.replaceChildren(wrap);
  const labels = (s: SeriesResponse) => {
    const withYear = crossesYear(s.buckets);
    return s.buckets.map((b) => fmtBucket(b, s.step, withYear));
  };
  const ink = inkColors();
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: labels(series), datasets: datasets(columns(kind, series)) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: ink.text,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12, color: ink.text } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${fmtInt(Number(c.raw))}` } },
      },
      scales: {
        x: {
          stacked: true,
          grid: { display: false },
          ticks: { maxRotation: 0, autoSkipPadding: 12, color: ink.text },
        },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { precision: 0, color: ink.text },
          grid: { color: ink.grid },
        },
      },
    },
  });
  const show = (s: SeriesResponse) => {
    current = s;
    const text = describeSeries(kind, s);
    summary.textContent = text;
    const isEmpty = text === 'No data in this range.';
    empty.hidden = !isEmpty;
    summary.hidden = isEmpty;
    toggle.hidden = isEmpty;
    if (isEmpty) tableSlot.hidden = true;
    if (!tableSlot.hidden) tableSlot.replaceChildren(dataTable(kind, s, title));
    wrap.dataset['drawn'] = String(s.buckets.length);
  };
  show(series);
  const stopDrag = options.onSelect ? dragToSelect(plot, band, chart, () => current, options.onSelect) : null;
  return {
    element: wrap,
    update(s) {
      chart.data.labels = labels(s);
      const next = columns(kind, s);
      chart.data.datasets.forEach((d, i) => {
        d.data = next[i]?.data ?? [];
      });
      chart.update('none');
      show(s);
    },
    destroy: () => {
      stopDrag?.();
      chart.destroy();
    },
  };
}

/**
 * Dragging across the bars shades them and, on release, hands the time they cover to `onSelect`. A press
 * without a drag is left to the tooltip; a vertical move on a touch screen still scrolls the page.
 */
function dragToSelect(
  plot: HTMLElement,
  band: HTMLElement,
  chart: Chart,
  series: () => SeriesResponse,
  onSelect: (from: number, to: number) => void,
): () => void {
  let start: number | null = null;
  const indexAt = (clientX: number): number | null => {
    const area = chart.chartArea;
    const box = plot.getBoundingClientRect();
    const x = Math.min(Math.max(clientX - box.left, area.left), area.right - 1);
    const n = series().buckets.length;
    if (n === 0 || area.right <= area.left) return null;
    return Math.min(n - 1, Math.max(0, Math.floor(((x - area.left) / (area.right - area.left)) * n)));
  };
  const pixelOf = (i: number) => {
    const area = chart.chartArea;
    return area.left + ((area.right - area.left) * i) / Math.max(1, series().buckets.length);
  };
  const paint = (a: number, b: number) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    band.style.left = `${pixelOf(lo)}px`;
    band.style.width = `${pixelOf(hi + 1) - pixelOf(lo)}px`;
    band.style.top = `${chart.chartArea.top}px`;
    band.style.height = `${chart.chartArea.bottom - chart.chartArea.top}px`;
    band.hidden = false;
  };
  let startX = 0;
  const down = (e: PointerEvent) => {
    if (e.button !== 0) return;
    start = indexAt(e.clientX);
    startX = e.clientX;
  };
  const move = (e: PointerEvent) => {
    if (start === null || Math.abs(e.clientX - startX) < 6) return;
    const i = indexAt(e.clientX);
    if (i !== null) paint(start, i);
  };
  const up = (e: PointerEvent) => {
    if (start === null) return;
    const from = start;
    start = null;
    band.hidden = true;
    if (Math.abs(e.clientX - startX) < 6) return;
    const to = indexAt(e.clientX);
    const s = series();
    if (to === null) return;
    const [lo, hi] = from <= to ? [from, to] : [to, from];
    const a = s.buckets[lo];
    const b = s.buckets[hi];
    if (a !== undefined && b !== undefined)
      onSelect(Math.max(a, s.range.from), Math.min(b + s.step, s.range.to));
  };
  const cancel = () => {
    start = null;
    band.hidden = true;
  };
  plot.addEventListener('pointerdown', down);
  window.addEventListener('pointermove', move);
  window.addEventListener('pointerup', up);
  window.addEventListener('pointercancel', cancel);
  plot.title = 'Drag across the bars to narrow the range';
  return () => {
    plot.removeEventListener('pointerdown', down);
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', cancel);
  };
}
