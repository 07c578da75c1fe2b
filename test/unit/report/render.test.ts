// Renderers over a hand-made model: log text never becomes markup in html, md or csv; the parts that say "top N" say it.
import { describe, expect, it } from 'vitest';
import { csvCell, renderAddressesCsv, renderCsv } from '../../../server/report/render-csv.js';
import { renderHtml } from '../../../server/report/render-html.js';
import { jsonChunks, renderJson } from '../../../server/report/render-json.js';
import { mdEscape, renderMarkdown } from '../../../server/report/render-md.js';
import { EVIL, sampleReport } from './sample-report.js';

describe('html', () => {
  const html = renderHtml(sampleReport());

  it('escapes every piece of log text', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[a-z]+[^>]*\sonerror=/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/href=/i);
    const escaped = '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;';
    for (const where of [
      'bad',
      'Google ',
      'Unknown ',
      'Meaning ',
      'Action ',
      '550 5.1.1 ',
      'new',
      'Q',
      'timeout ',
      'odd ',
    ]) {
      expect(html).toContain(`${where}${escaped}`);
    }
  });

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    const plain = renderHtml(sampleReport('plain'));
    expect(plain).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(plain).not.toMatch(/(src|href)\s*=/i);
    expect(plain).not.toMatch(/url\(/i);
    expect(plain).toContain('<svg');
  });
});

describe('md', () => {
  const md = renderMarkdown(sampleReport());

  it('escapes markup, links and table pipes in log text', () => {
    expect(md).not.toMatch(/(^|[^\\])<img/m);
    expect(md).not.toContain('[x](');
    expect(md).toContain('\\<img src=x onerror="alert(1)"\\>\\|\\*\\_\\[x\\](javascript:alert(2))');
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      expect(cells, line).toBeGreaterThan(2);
    }
    const tables = md.split('\n\n').filter((block) => block.startsWith('|'));
    for (const t of tables) {
      const widths = t.split('\n').map((l) => l.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size, t).toBe(1);
    }
  });

  it('keeps each entry on one line', () => {
    expect(mdEscape('a\nb\r\nc')).toBe('a b c');
  });

  it('compares with the previous week', () => {
    expect(md).toContain('| Sent | 90 | 80 | +10 (+13%) |');
    expect(md).toContain('| Bounce rate | 4.3% | 4.8% | −0.5 pp |');
    expect(md).toContain('same as 2026-W46');
  });
});

describe('csv', () => {
  it('quotes and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    const addresses = renderAddressesCsv(sampleReport());
    expect(addresses.split('\r\n')[1]!.startsWith(`"'=cmd|x<img src=x onerror=""alert(1)"">`)).toBe(true);
  });

  it('writes one row per domain and cause', () => {
    const lines = renderCsv(sampleReport()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      `2026-11-16T00:00:00+00:00,2026-11-23T00:00:00+00:00,"bad${EVIL.replace(/"/g, '""')}.example",,recipient-unknown,0,0,4,0,0,0,4`,
    );
  });
});

describe('json', () => {
  it('is the model, whole', () => {
    const report = sampleReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  it('is written in pieces that make the same bytes as one JSON.stringify', () => {
    const report = sampleReport();
    report.hardBounces = [...report.hardBounces, ...report.hardBounces];
    report.expiredMessages = [];
    const pieces = [...jsonChunks(report)];
    expect(pieces.length).toBeGreaterThan(report.hardBounces.length);
    expect(pieces.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});

describe('top lists', () => {
  it('md and html say when they show only the top ones; json keeps them all', () => {
    const report = sampleReport('x');
    const base = report.domains[0]!;
    report.domains = Array.from({ length: 20 }, (_, i) => ({
      ...base,
      domain: `d${String(i).padStart(2, '0')}.example`,
    }));
    expect(renderMarkdown(report)).toContain(
      '## Domains with the most failures (top 15 of 20 failing domains; json and csv list all)',
    );
    expect(renderHtml(report)).toContain('top 15 of 20 failing domains; json and csv list all');
    expect((JSON.parse(renderJson(report)) as { domains: unknown[] }).domains).toHaveLength(20);
    expect(renderMarkdown(report)).toContain('d14.example');
    expect(renderMarkdown(report)).not.toContain('d15.example');
  });
});
