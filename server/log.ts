/** The process logger: pino JSON lines on stderr (stdout stays free for command output). */

import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: options.level ?? process.env['BOUNCEWATCH_LOG_LEVEL'] ?? 'info', base: { app: 'bouncewatch' } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: the default in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
