/** Flag parsing shared by every subcommand: node's parseArgs, turned into one-line usage errors. */

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SchemaTooNewError } from '../../db/sqlite/migrate.js';
import { openDatabase, type Db, type OpenOptions } from '../../db/sqlite/open.js';

/** Wrong use of the command line: printed as one line, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on: printed as one clear line, exit status 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

export function intFlag(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}`);
  return n;
}

/** Resolves the database path from --db, BOUNCEWATCH_DB, or ./bouncewatch.db. */
export function dbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env['BOUNCEWATCH_DB'] ?? 'bouncewatch.db';
}

/**
 * Opens (and migrates) the database, turning a failure into one clear line for the user (the error it came from
 * is the CliError's cause). A database written by a newer bouncewatch is refused.
 */
export function openDatabaseOrFail(options: OpenOptions): Db {
  // An upgrade may rewrite every stored row (migration 5 links each attempt to its message life: about a
  // minute per 10M attempts): say so rather than start in silence.
  const onUpgrade = (m: { version: number; name: string }) =>
    process.stderr.write(
      `bouncewatch: upgrading ${options.file} to schema ${m.version} (${m.name.replace(/_/g, ' ')}); a large database takes a while\n`,
    );
  try {
    return openDatabase({ onUpgrade, ...options });
  } catch (err) {
    if (err instanceof SchemaTooNewError) {
      throw new CliError(
        `${options.file} was written by a newer bouncewatch (schema ${err.version}; this one knows up to ${err.newest}): upgrade bouncewatch`,
        { cause: err },
      );
    }
    throw new CliError(
      `cannot open database ${options.file}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}
