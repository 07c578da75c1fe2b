/** The schema version this build knows, and databases whose schema is newer than it. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSchemaKnown,
  loadMigrations,
  migrate,
  newestSchemaVersion,
  SchemaTooNewError,
} from '../../../db/sqlite/migrate.js';
import { openDatabase } from '../../../db/sqlite/open.js';

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bouncewatch-schema-version-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A database migrated to this build's schema, then marked as written at `version` (rollback journal). */
function databaseAt(version: number): string {
  const file = join(dir, `at-${version}-${++count}.db`);
  const db = new Database(file);
  migrate(db);
  db.pragma(`user_version = ${version}`);
  db.close();
  return file;
}

function read(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      journal: db.pragma('journal_mode', { simple: true }) as string,
    };
  } finally {
    db.close();
  }
}

describe('schema versions', () => {
  it('knows the newest version as that of its last migration', () => {
    expect(newestSchemaVersion()).toBe(loadMigrations().at(-1)!.version);
    expect(newestSchemaVersion()).toBeGreaterThanOrEqual(6);
  });

  it('checkSchemaKnown returns a known version and refuses a newer one', () => {
    const db = new Database(':memory:');
    migrate(db, loadMigrations().slice(0, 2));
    expect(checkSchemaKnown(db)).toBe(2);
    expect(checkSchemaKnown(db, 2)).toBe(2);
    expect(() => checkSchemaKnown(db, 1)).toThrow(SchemaTooNewError);
    db.close();
  });

  it('openDatabase refuses a database written by a newer version, writable or read-only, and leaves it as it was', () => {
    const newest = newestSchemaVersion();
    const file = databaseAt(newest + 3);
    for (const readonly of [false, true]) {
      let error: unknown;
      try {
        openDatabase({ file, readonly }).close();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SchemaTooNewError);
      expect(error).toMatchObject({ version: newest + 3, newest });
      expect((error as Error).message).toBe(
        `database schema ${newest + 3} is newer than the newest this build knows (${newest})`,
      );
    }
    // Refused before any pragma or migration touched it: still its version, not switched to WAL.
    expect(read(file)).toEqual({ version: newest + 3, journal: 'delete' });
  });

  it('openDatabase still opens databases at the newest and at older versions', () => {
    const newest = newestSchemaVersion();
    openDatabase({ file: databaseAt(newest) }).close();
    const older = join(dir, 'older.db');
    const db = new Database(older);
    migrate(db, loadMigrations().slice(0, 3));
    db.close();
    openDatabase({ file: older }).close();
    expect(read(older).version).toBe(newest);
    openDatabase({ file: ':memory:' }).close();
  });
});
