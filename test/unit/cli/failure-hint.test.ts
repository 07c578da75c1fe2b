// SQLite's "attempt to write a readonly database" gets a hint a person can act on.
import { describe, expect, it } from 'vitest';
import { failureHint } from '../../../server/cli/failure-hint.js';

describe('failureHint', () => {
  it('says what to do about a read-only database', () => {
    const err = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    expect(failureHint(err)).toContain('write permission');
    expect(failureHint(new Error('attempt to write a readonly database'))).toContain('FILE-wal');
  });
  it('says nothing about other failures', () => {
    expect(failureHint(new Error('no such table: attempts'))).toBe('');
  });
});
