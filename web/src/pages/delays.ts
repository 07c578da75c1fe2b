/**
 * Delivery delay on the dashboard: median and p95 against the period before, a trend line (log scale, with a text
 * summary and a table to show instead), and the busiest domains or providers. Used by the drill-down and the Server view.
 */

import type { DelaysResponse } from '../../../server/http/contract/delays.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { fmtBucket, fmtInt } from '../format.js';
import { linkTo, rangeParams, type ViewState } from '../state.js';
import { section, table } from '../ui.js';

type Figures = Pick<DelaysResponse['overall'], 'delivered' | 'p50' | 'p95'>;

/** `0.4 s`, `12 s`, `3.5 min`, `2.1 h`, `1.5 d`, or an en dash when nothing was delivered. */
function fmtDelay(seconds: number | null): string {
  if (seconds === null) return '–';
  const [v, unit] =
    seconds < 60
      ? [seconds, 's']
      : seconds < 3_600
        ? [seconds / 60, 'min']
        : seconds < 86_400
          ? [seconds / 3_600, 'h']
          : [seconds / 86_400, 'd'];
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${unit}`;
}

/** "median 1.2 s, p95 35 s" and how it compares with the period before. */
function sentence(now: Figures, before: Figures): string {
  if (now.delivered === 0) return 'No delivery with a logged delay in this range.';
  const was =
    before.delivered === 0
      ? 'nothing delivered the period before'
      : `the period before: median ${fmtDelay(before.p50)}, p95 ${fmtDelay(before.p95)}`;
  return `Median ${fmtDelay(now.p50)}, p95 ${fmtDelay(now.p95)} over ${fmtInt(now.delivered)} delivered recipients (${was}).`;
}

const SVG = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 120;

function svg(tag: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** Median and p95 per point on a log scale: the eye reads a factor, not seconds. */
function trendLines(d: DelaysResponse): SVGElement {
  const pts = d.series.points.filter((p) => p.p50 !== null && p.p95 !== null);
  const ys = pts.flatMap((p) => [p.p50!, p.p95!]).map((v) => Math.log10(Math.max(v, 0.05)));
  const lo = Math.min(...ys);
  const hi = Math.max(...ys, lo + 1);
  const span = Math.max(d.range.to - d.range.from, 1);
  const x = (t: number) => (((t - d.range.from) / span) * (W - 20) + 10).toFixed(1);
  const y = (v: number) =>
    (H - 10 - ((Math.log10(Math.max(v, 0.05)) - lo) / (hi - lo)) * (H - 20)).toFixed(1);
  const root = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'delay-trend',
    'aria-hidden': 'true',
    preserveAspectRatio: 'none',
    focusable: 'false',
  });
  for (const [key, cls] of [
    ['p95', 'delay-p95'],
    ['p50', 'delay-p50'],
  ] as const) {
    const coords = pts.map((p) => `${x(p.t)},${y(p[key]!)}`);
    // A lone point is drawn as a short dash, since a line of one point shows nothing.
    if (pts.length === 1) coords.push(`${Number(x(pts[0]!.t)) + 8},${y(pts[0]![key]!)}`);
    const line = coords.join(' ');
    // The drawing stretches to the card's width: strokes keep their width.
    root.append(
      svg('polyline', { points: line, class: cls, fill: 'none', 'vector-effect': 'non-scaling-stroke' }),
    );
  }
  return root;
}

function trend(d: DelaysResponse, name: string): HTMLElement {
  const points = d.series.points;
  if (points.length === 0)
    return h('p', { class: 'empty' }, 'No delivery with a logged delay in this range.');
  const slowest = points.reduce((a, b) => ((b.p95 ?? 0) > (a.p95 ?? 0) ? b : a));
  return h(
    'figure',
    { class: 'delay-figure', 'data-testid': 'delay-trend' },
    trendLines(d),
    h(
      'figcaption',
      { class: 'chart-summary' },
      h('span', { class: 'legend-p50' }, 'Median'),
      ' and ',
      h('span', { class: 'legend-p95' }, 'p95'),
      ` of ${name} per ${d.series.step >= 86_400_000 ? 'day' : 'hour'}, log scale; slowest p95 ${fmtDelay(slowest.p95)} at ${fmtBucket(slowest.t, d.series.step)}.`,
    ),
    h(
      'details',
      null,
      h('summary', null, 'Show as a table'),
      table(
        `Delivery delay of ${name} over time`,
        [
          { label: 'From', cell: (p) => fmtBucket(p.t, d.series.step) },
          { label: 'Delivered', numeric: true, cell: (p) => fmtInt(p.delivered) },
          { label: 'Median', numeric: true, cell: (p) => fmtDelay(p.p50) },
          { label: 'p95', numeric: true, cell: (p) => fmtDelay(p.p95) },
        ],
        points,
      ),
    ),
  );
}

/** The busiest domains or providers with their delays, each a link to its drill-down. */
function busiest(state: ViewState, d: DelaysResponse): HTMLElement {
  const what = d.by === 'domain' ? 'Recipient domain' : 'Provider';
  return table(
    `Delivery delay by ${d.by}`,
    [
      {
        label: what,
        cell: (r) =>
          r.key === ''
            ? h('span', { class: 'muted' }, '(none named)')
            : h('a', { href: linkTo(state, d.by, r.key) }, r.key),
      },
      { label: 'Delivered', numeric: true, cell: (r) => fmtInt(r.delivered) },
      { label: 'Median', numeric: true, cell: (r) => fmtDelay(r.p50) },
      { label: 'p95', numeric: true, cell: (r) => fmtDelay(r.p95) },
      { label: 'p95 before', numeric: true, optional: true, cell: (r) => fmtDelay(r.previous.p95) },
    ],
    d.rows,
    'No delivery with a logged delay in this range.',
  );
}

/** One domain's or provider's delay, for its drill-down. */
export async function keyDelay(state: ViewState, by: 'domain' | 'provider', key: string, name: string) {
  const d = await api.delays({ ...rangeParams(state), by, key });
  const summary = h('p', { 'data-testid': 'delay-summary' }, sentence(d.overall, d.overall.previous));
  // With nothing delivered the sentence says so once; an empty chart would only say it again.
  if (d.overall.delivered === 0) return section('Delivery delay', summary);
  return section('Delivery delay', summary, trend(d, name));
}

/** Every delivery's delay with the busiest domains and providers, for the Server view. */
export async function serverDelay(state: ViewState): Promise<HTMLElement> {
  const [domains, providers] = await Promise.all([
    api.delays({ ...rangeParams(state), by: 'domain', limit: '10' }),
    api.delays({ ...rangeParams(state), by: 'provider', limit: '10' }),
  ]);
  const summary = h(
    'p',
    { 'data-testid': 'delay-summary' },
    sentence(domains.overall, domains.overall.previous),
  );
  if (domains.overall.delivered === 0) return section('Delivery delay', summary);
  return section(
    'Delivery delay',
    summary,
    trend(domains, 'all delivered mail'),
    h(
      'div',
      { class: 'grid-2' },
      h('div', null, h('h3', null, 'By recipient domain'), busiest(state, domains)),
      h('div', null, h('h3', null, 'By provider'), busiest(state, providers)),
    ),
  );
}
