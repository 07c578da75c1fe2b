/** The parser entry point: one log line and its context in, one typed record out, never throwing. */

import { parseEnvelope } from './envelope.js';
import { parseExim } from './exim.js';
import { parsePostfix } from './postfix.js';
import type { ParseContext, ParsedRecord } from './types.js';

export type * from './types.js';
export { parseEnvelope } from './envelope.js';
export { extractReply, splitCodes } from './reply.js';

/** Postfix daemon names, for recognising a renamed syslog_name (`mx-out/smtp`). */
const POSTFIX_DAEMONS: ReadonlySet<string> = new Set([
  'smtp',
  'lmtp',
  'local',
  'virtual',
  'pipe',
  'error',
  'retry',
  'discard',
  'qmgr',
  'nqmgr',
  'cleanup',
  'smtpd',
  'postscreen',
  'pickup',
  'bounce',
  'defer',
  'trace',
  'anvil',
  'scache',
  'tlsmgr',
  'tlsproxy',
  'dnsblog',
  'verify',
  'master',
  'postsuper',
  'postdrop',
  'sendmail',
  'postqueue',
  'postmap',
  'postalias',
  'postlogd',
  'showq',
  'flush',
  'proxymap',
  'trivial-rewrite',
  'oqmgr',
  'spawn',
  'qmqpd',
  'postfix-script',
  'postmulti',
  'postlog',
  'postconf',
  'relay',
]);

/** Postfix command-line tools that log under their own name. */
const POSTFIX_COMMANDS: ReadonlySet<string> = new Set([
  'postmulti',
  'postsuper',
  'postdrop',
  'postqueue',
  'postlog',
  'postalias',
  'postmap',
  'postconf',
  'postcat',
  'postkick',
  'postlock',
]);

/** Which MTA wrote a line, from its program name. */
function mtaOfProgram(program: string): 'postfix' | 'exim' | null {
  const c = program.charCodeAt(0);
  if (c === 112 /* p */ && program.startsWith('postfix')) {
    const n = program.charCodeAt(7);
    // "postfix", "postfix/smtp", "postfix-out/smtp", "postfix@-" (systemd instance names)
    if (Number.isNaN(n) || n === 47 || n === 45 || n === 64) return 'postfix';
  }
  if (c === 101 /* e */ && program.startsWith('exim')) return 'exim';
  if (c === 112 && POSTFIX_COMMANDS.has(program)) return 'postfix';
  const slash = program.lastIndexOf('/');
  if (slash > 0 && POSTFIX_DAEMONS.has(program.slice(slash + 1))) return 'postfix';
  return null;
}

/**
 * Parses one log line. `ctx.referenceMs` anchors the year of yearless syslog times. Pure: the
 * same line and context always give the same record.
 */
export function parseLine(input: string, ctx: ParseContext): ParsedRecord {
  // A CRLF file read line by line leaves a '\r' that no message ends with.
  const line = input.charCodeAt(input.length - 1) === 13 ? input.slice(0, -1) : input;
  const env = parseEnvelope(line, ctx);
  const program = env.program;
  const brief = ctx.brief === true;
  if (env.format === 'exim') {
    return parseExim(
      { ts: env.ts, tsMs: env.tsMs, host: null, mta: 'exim', program: 'exim', pid: env.pid },
      env.message,
      line,
      brief,
    );
  }
  const mta = program === null ? null : mtaOfProgram(program);
  // Host names are case-insensitive (RFC 4343): MX1 and mx1 are one host.
  const host = env.host === null ? null : env.host.toLowerCase();
  if (program === null || mta === null) {
    return { kind: 'foreign', ts: env.ts, tsMs: env.tsMs, host, program };
  }
  if (mta === 'postfix') {
    const base = { ts: env.ts, tsMs: env.tsMs, host, mta, program, pid: env.pid };
    return parsePostfix(base, env.message, line, brief);
  }
  return parseExim(
    { ts: env.ts, tsMs: env.tsMs, host, mta, program, pid: env.pid },
    withoutEximTime(env.message),
    line,
    brief,
  );
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Exim sends its own time stamp to syslog too (`syslog_timestamp`, on by default):
 * `exim[1234]: 2026-11-28 10:00:00[.fff][ +0100][ [pid]] 1abc-...`. The syslog time is kept;
 * Exim's is dropped so the message reads as in a main log.
 */
function withoutEximTime(message: string): string {
  if (!isDigitAt(message, 0) || message.charCodeAt(4) !== 45 || message.charCodeAt(10) !== 32) return message;
  if (message.charCodeAt(7) !== 45 || message.charCodeAt(13) !== 58 || message.charCodeAt(16) !== 58)
    return message;
  let i = 19;
  if (message.charCodeAt(i) === 46) {
    i++;
    while (isDigitAt(message, i)) i++;
  }
  const zone = message.charCodeAt(i + 1);
  if (message.charCodeAt(i) === 32 && (zone === 43 || zone === 45) && isDigitAt(message, i + 2)) i += 6;
  if (message.charCodeAt(i) === 32 && message.charCodeAt(i + 1) === 91) {
    const close = message.indexOf('] ', i + 2);
    if (close > 0 && close - i < 14) i = close + 1;
  }
  return message.charCodeAt(i) === 32 ? message.slice(i + 1) : message;
}
