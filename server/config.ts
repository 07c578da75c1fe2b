/** Configuration: defaults, then an optional file, then environment, then flags; validated once, frozen. */

import { z } from 'zod';

export const configSchema = z
  .object({
    /** SQLite database file. */
    db: z.string().min(1).default('bouncewatch.db'),
    port: z.number().int().min(1).max(65535).default(8550),
    bind: z.string().min(1).default('127.0.0.1'),
    /** Logs to follow (run/follow). */
    logs: z.array(z.string().min(1)).default([]),
    /** Credentials for the dashboard; required when bound to anything but loopback. */
    auth: z
      .object({
        token: z.string().min(16, 'auth.token must be at least 16 characters').optional(),
        user: z.string().min(1).optional(),
        password: z.string().min(8, 'auth.password must be at least 8 characters').optional(),
      })
      .strict()
      .default({}),
    /** Days of raw rows to keep; rollups are kept for ever. */
    retainDays: z.number().int().min(1).optional(),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;

export function isLoopback(bind: string): boolean {
  return bind === 'localhost' || bind === '::1' || bind.startsWith('127.');
}

/** Validates a raw config object; throws an Error with one line per problem. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new Error(lines.join('\n'));
  }
  const config = result.data;
  if (!isLoopback(config.bind) && !config.auth.token && !(config.auth.user && config.auth.password)) {
    throw new Error(
      `bind: refusing to listen on ${config.bind} without credentials (set auth.token or auth.user and auth.password)`,
    );
  }
  return Object.freeze(config);
}
