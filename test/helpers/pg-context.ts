/**
 * What the PostgreSQL tests get from the global setup (pg-global-setup.ts): the throwaway server's URL, or why
 * there is none. `describePg` runs a suite against a database of its own, or skips it saying why.
 */

import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';

/** Written by every PostgreSQL suite that ran, so that CI can tell the tier ran. */
export const PG_RAN_FILE = 'suites-ran';

export interface PgProvided {
  /** The superuser URL of the throwaway server, or null when there is none. */
  url: string | null;
  /** Why the PostgreSQL tests are skipped, or null. */
  skipped: string | null;
  ranFile: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pg: PgProvided;
  }
}

let counter = 0;

/** The URL of `base` with its database name replaced. */
function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database on the throwaway server; answers its URL and a function that drops it. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { url } = inject('pg');
  if (!url) throw new Error('no throwaway PostgreSQL in this run');
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(url, name),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A suite that needs PostgreSQL: `body` gets a getter for the URL of a database of the suite's own (created
 * before its tests, dropped after). Without a server the suite is skipped, and its name says why.
 */
export function describePg(name: string, body: (url: () => string) => void): void {
  const provided = inject('pg');
  if (!provided.url) {
    describe.skip(`${name} (skipped: ${provided.skipped ?? 'no PostgreSQL'})`, () => body(() => ''));
    return;
  }
  describe(name, () => {
    let db: { url: string; drop: () => Promise<void> } | null = null;
    beforeAll(async () => {
      db = await freshDatabase();
      if (provided.ranFile) appendFileSync(provided.ranFile, `${name}\n`);
    });
    afterAll(async () => {
      await db?.drop();
    });
    body(() => {
      if (!db) throw new Error('the suite\u2019s database is not created yet');
      return db.url;
    });
  });
}
