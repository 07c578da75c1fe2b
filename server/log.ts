/**
 * The process logger (pino) on stderr, so stdout stays free for command output: readable lines on a terminal,
 * JSON lines when stderr is piped or a file (a log collector), or as BOUNCEWATCH_LOG_FORMAT / logFormat says.
 */

import { pino, type DestinationStream, type Logger } from 'pino';
import { formatPrettyLine } from './log-pretty.js';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default: stderr). */
  destination?: NodeJS.WritableStream;
  /** `auto`: pretty on a terminal, JSON otherwise. Default: BOUNCEWATCH_LOG_FORMAT, else auto. */
  format?: LogFormat;
  /** Whether the destination is a terminal (default: stderr's own answer). */
  tty?: boolean;
}

const isFormat = (v: string | undefined): v is LogFormat => v === 'auto' || v === 'json' || v === 'pretty';

/** Pretty or JSON, as asked or as the destination suggests. */
export function chooseLogFormat(format: LogFormat, tty: boolean): 'json' | 'pretty' {
  return format === 'auto' ? (tty ? 'pretty' : 'json') : format;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const env = process.env['BOUNCEWATCH_LOG_FORMAT'];
  const format = options.format ?? (isFormat(env) ? env : 'auto');
  const out = options.destination ?? process.stderr;
  const tty = options.tty ?? Boolean((out as { isTTY?: boolean }).isTTY);
  const pretty = chooseLogFormat(format, tty) === 'pretty';
  const settings = {
    level: options.level ?? process.env['BOUNCEWATCH_LOG_LEVEL'] ?? 'info',
    base: { app: 'bouncewatch' },
  };
  if (pretty) {
    const stream: DestinationStream = {
      write: (line: string) => {
        out.write(formatPrettyLine(line, { color: tty }));
      },
    };
    return pino(settings, stream);
  }
  return pino(settings, options.destination ?? pino.destination(2));
}

/** A logger that drops everything: the default in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
