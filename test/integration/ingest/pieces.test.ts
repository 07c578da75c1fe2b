import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIndexDeferral } from '../../../db/sqlite/write/deferred-indexes.js';
import { createLineSplitter, MAX_LINE_BYTES } from '../../../server/ingest/lines.js';
import { lineShape } from '../../../server/ingest/unparsed.js';
import { rotatedSiblings, rotationName } from '../../../server/ingest/files.js';
import { count, setup, type Env } from './helpers.js';

describe('line splitter', () => {
  const split = (chunks: (string | Buffer)[], start = 0) => {
    const s = createLineSplitter(start);
    const lines: string[] = [];
    for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c, (l) => lines.push(l));
    return { lines, offset: s.offset(), pending: s.pendingBytes() };
  };

  it('keeps byte offsets across chunk borders, CRLF and multi-byte characters', () => {
    const r = split(['ab', 'c\r\nd\u00e9', 'f\n', 'gh']);
    expect(r.lines).toEqual(['abc', 'd\u00e9f']);
    expect(r.offset).toBe(Buffer.byteLength('abc\r\nd\u00e9f\n'));
    expect(r.pending).toBe(2);
  });

  it('splits a multi-byte character cut between chunks correctly', () => {
    const bytes = Buffer.from('caf\u00e9\n');
    const r = split([bytes.subarray(0, 4), bytes.subarray(4)], 100);
    expect(r.lines).toEqual(['caf\u00e9']);
    expect(r.offset).toBe(100 + bytes.length);
  });

  it('turns invalid UTF-8 into replacement characters without losing bytes', () => {
    const r = split([Buffer.from([0x61, 0xff, 0xfe, 0x0a, 0x62, 0x0a])]);
    expect(r.lines).toEqual(['a\ufffd\ufffd', 'b']);
    expect(r.offset).toBe(6);
  });

  it('cuts a runaway line and skips to the next newline', () => {
    const huge = Buffer.alloc(MAX_LINE_BYTES + 10, 0x78);
    const r = split([huge, 'tail\nnext\n']);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toHaveLength(MAX_LINE_BYTES);
    expect(r.lines[1]).toBe('next');
    expect(r.offset).toBe(huge.length + 'tail\nnext\n'.length);
  });
});

describe('names and shapes', () => {
  it('reads rotation names', () => {
    expect(rotationName('/v/mail.log.3.gz')).toEqual({ base: '/v/mail.log', age: 3 });
    expect(rotationName('/v/mail.log')).toEqual({ base: '/v/mail.log', age: 0 });
    expect(rotationName('/v/mail.log-20261101.gz').base).toBe('/v/mail.log');
  });

  it('masks the variable parts of an unparsed line', () => {
    const a = lineShape(
      'Nov  3 12:29:32 mx1 postfix/smtp[123]: 4F2A9B1C: odd thing for <a@b.example> [192.0.2.1]',
    );
    const b = lineShape(
      'Dec 14 01:02:03 mx1 postfix/smtp[9]: 77EE1200AA: odd thing for <c@d.example> [198.51.100.7]',
    );
    expect(a).toBe(b);
  });
});

describe('rotated siblings and bulk indexes', () => {
  let env: Env;
  beforeEach(() => {
    env = setup();
  });
  afterEach(() => env.cleanup());

  it('lists the rotated siblings of a live log, oldest first', () => {
    for (const n of [
      'mail.log',
      'mail.log.1',
      'mail.log.2.gz',
      'mail.log.3.gz',
      'mail.logger',
      'other.log.1',
    ]) {
      writeFileSync(join(env.dir, n), 'x\n');
    }
    expect(rotatedSiblings(join(env.dir, 'mail.log')).map((p) => p.slice(env.dir.length + 1))).toEqual([
      'mail.log.3.gz',
      'mail.log.2.gz',
      'mail.log.1',
    ]);
  });

  it('rebuilds indexes that an interrupted bulk import left out', () => {
    const indexes = (where: string) =>
      count(
        env.db,
        `SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempt_rows' AND sql IS NOT NULL AND ${where}`,
      );
    const full = indexes("sql NOT LIKE '% WHERE %'");
    const partial = indexes("sql LIKE '% WHERE %'");
    // Recipient keys and lives (migration 12 left attempts no time index: time blocks stand in for it).
    expect(full).toBeGreaterThanOrEqual(2);
    expect(partial).toBeGreaterThan(2);
    // Every secondary index is set aside, the partial (failure-only) ones included.
    expect(createIndexDeferral(env.db).defer()).toBeGreaterThanOrEqual(full + partial);
    expect(indexes('1')).toBe(0);
    env.restart(); // a crash: the next engine repairs at start
    expect(indexes("sql NOT LIKE '% WHERE %'")).toBe(full);
    expect(indexes('1')).toBe(full + partial);
    expect(count(env.db, 'SELECT count(*) AS n FROM ingest_deferred_indexes')).toBe(0);
  });
});
