/** A tiny server-side SVG chart: stacked bars per day (temporary and permanent failures), no scripts. */

import { escapeHtml } from './escape.js';

interface StackSeries {
  name: string;
  color: string;
}

interface StackPoint {
  /** Axis label (short). */
  label: string;
  /** Tooltip heading (long). */
  title: string;
  /** One value per series, bottom first. */
  values: number[];
}

export interface StackedBarOptions {
  series: readonly StackSeries[];
  points: readonly StackPoint[];
  width?: number;
  height?: number;
  /** Accessible description of the whole chart. */
  description: string;
}

/** Round axis maximum and step: 1, 2 or 5 times a power of ten, about four gridlines. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 4, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const wholeStep = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}

export function stackedBarChart(options: StackedBarOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 220;
  const left = 48;
  const right = 8;
  const top = 28;
  const bottom = 28;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const totals = options.points.map((p) => p.values.reduce((a, b) => a + b, 0));
  const { top: yMax, step } = niceScale(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const n = Math.max(1, options.points.length);
  const slot = plotW / n;
  const barW = Math.max(1, Math.min(48, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(n / 14));
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.description)}" style="max-width:100%;height:auto;font-family:Helvetica,Arial,sans-serif">`,
    `<title>${escapeHtml(options.description)}</title>`,
  );
  for (let v = 0; v <= yMax; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" stroke="${v === 0 ? '#8a8f98' : '#e3e6ea'}" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" fill="#5b6270" text-anchor="end">${compact(v)}</text>`,
    );
  }
  options.points.forEach((p, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let base = 0;
    const tip = [p.title, ...options.series.map((s, k) => `${s.name}: ${p.values[k] ?? 0}`)].join('\n');
    parts.push(`<g><title>${escapeHtml(tip)}</title>`);
    options.series.forEach((s, k) => {
      const v = p.values[k] ?? 0;
      if (v <= 0) return;
      const y0 = y(base);
      const y1 = y(base + v);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${s.color}"/>`,
      );
      base += v;
    });
    parts.push('</g>');
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 16}" font-size="11" fill="#5b6270" text-anchor="middle">${escapeHtml(p.label)}</text>`,
      );
    }
  });
  let lx = left;
  for (const s of options.series) {
    parts.push(
      `<rect x="${lx}" y="8" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="18" font-size="12" fill="#1f2430">${escapeHtml(s.name)}</text>`,
    );
    lx += 24 + s.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('');
}
