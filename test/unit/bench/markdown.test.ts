// `npm run bench -- --markdown`: each run becomes one dated section of docs/benchmarks.md, newest
// first, and a second run under the same heading replaces the first instead of piling up.
import { describe, expect, it } from 'vitest';
import { benchSection, upsertSection } from '../../../scripts/bench/markdown.js';

const run = (date: string, value: number) =>
  benchSection({
    date,
    kind: 'full run',
    machine: '2 cores (Test CPU), 8.0 GiB, Linux 6.1, Node v20.0.0',
    rows: [{ section: 'parse', name: 'postfix 1M lines', value, unit: 'lines/s', note: 'a | b' }],
  });

const intro = '# Benchmarks\n\nWhat the bench measured, newest first.\n';
const history = '## 2026-11-29, history\n\nWritten by hand.\n\n### A sub-heading stays inside\n\nMore.\n';

describe('bench markdown', () => {
  it('heads a run with its date, kind and machine, and escapes table cells', () => {
    const section = run('2026-12-07', 1_025_000.4);
    expect(section.split('\n')[0]).toBe(
      '## 2026-12-07, full run, 2 cores (Test CPU), 8.0 GiB, Linux 6.1, Node v20.0.0',
    );
    expect(section).toContain('| parse | postfix 1M lines | 1,025,000 | lines/s | a \\| b |');
  });

  it('puts a new run above the older sections and keeps the introduction', () => {
    const doc = upsertSection(`${intro}\n${history}`, run('2026-12-07', 1));
    expect(doc.indexOf('# Benchmarks')).toBe(0);
    expect(doc.indexOf('## 2026-12-07')).toBeGreaterThan(doc.indexOf('newest first'));
    expect(doc.indexOf('## 2026-12-07')).toBeLessThan(doc.indexOf('## 2026-11-29, history'));
    expect(doc).toContain('### A sub-heading stays inside\n\nMore.\n');
  });

  it('replaces the run under the same heading and leaves the others alone', () => {
    const once = upsertSection(`${intro}\n${history}`, run('2026-12-07', 1));
    const twice = upsertSection(once, run('2026-12-07', 2));
    expect(twice.match(/## 2026-12-07/g)).toHaveLength(1);
    expect(twice).toContain('| 2 | lines/s |');
    expect(twice).not.toContain('| 1 | lines/s |');
    expect(twice).toContain(history.trimEnd());
    const nextDay = upsertSection(twice, run('2026-12-08', 3));
    expect(nextDay.indexOf('## 2026-12-08')).toBeLessThan(nextDay.indexOf('## 2026-12-07'));
  });

  it('starts an empty document with the run', () => {
    expect(upsertSection('', run('2026-12-07', 1))).toBe(`${run('2026-12-07', 1).trimEnd()}\n`);
  });
});
