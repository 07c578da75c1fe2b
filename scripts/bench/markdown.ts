/**
 * `npm run bench -- --markdown`: the run's figures as one dated section of docs/benchmarks.md, with
 * the machine they were measured on. A later run on the same day, machine and size replaces it.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import type { BenchRow } from './types.js';

/** What the figures depend on: cores, CPU model, memory, kernel and Node. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores.length} cores (${model}), ${gib} GiB, ${type()} ${release()}, Node ${process.version}`;
}

/** A figure as the tables show it: whole numbers with separators, small ones with two decimals. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'lines/s' || unit === 'replies/s') return Math.round(value).toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

export const TABLE_HEAD = '| section | measure | value | unit | note |\n|---|---|---:|---|---|\n';

export function tableRow(r: BenchRow): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  return `| ${r.section} | ${cell(r.name)} | ${formatValue(r.value, r.unit)} | ${r.unit} | ${cell(r.note ?? '')} |\n`;
}

/** One run: a heading that names the day, the kind of run and the machine, then the table. */
export function benchSection(run: {
  date: string;
  kind: string;
  machine: string;
  rows: readonly BenchRow[];
}): string {
  return `## ${run.date}, ${run.kind}, ${run.machine}\n\n${TABLE_HEAD}${run.rows.map(tableRow).join('')}`;
}

function headingOf(block: string): string {
  const end = block.indexOf('\n');
  return end < 0 ? block : block.slice(0, end);
}

/**
 * `doc` with `section` in place of the section under the same heading, or else before the first
 * section (newest first). The text before the first section and every other section stay as they are.
 */
export function upsertSection(doc: string, section: string): string {
  const parts = doc.split(/^(?=## )/m);
  const preamble = parts[0]?.startsWith('## ') === false ? parts.shift()!.trimEnd() : '';
  const sections = parts.map((p) => p.trimEnd());
  const block = section.trimEnd();
  const at = sections.findIndex((s) => headingOf(s) === headingOf(block));
  if (at >= 0) sections[at] = block;
  else sections.unshift(block);
  return `${[preamble, ...sections].filter((s) => s !== '').join('\n\n')}\n`;
}

/** Writes the run's section into `file` (created with a title when missing), formatted by Prettier. */
export async function writeBenchMarkdown(file: string, section: string): Promise<void> {
  let doc = '# Benchmarks\n';
  try {
    doc = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(upsertSection(doc, section), { ...options, filepath: file }));
}
