/**
 * The wrapper around a log message: classic syslog, RFC 3339 / short-iso syslog, journald JSON,
 * Postfix maillog_file and Exim mainlog. Finds time, host, program and pid without regexes.
 */

import { readFlatJson } from './json-fields.js';
import {
  contextGeneration,
  digitsAt,
  localToMs,
  monthAt,
  toIso,
  validParts,
  yearlessToMs,
  zonedToMs,
} from './time.js';
import type { Envelope, ParseContext } from './types.js';

/** Which wrapper the line had; 'exim' is a mainlog line (no host, no program). */
type EnvelopeFormat = 'syslog' | 'rfc3339' | 'journal' | 'exim' | 'none';

export interface ParsedEnvelope extends Envelope {
  format: EnvelopeFormat;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** True when line[start, end) equals `text` (checked without allocating). */
function sameText(line: string, start: number, end: number, text: string): boolean {
  const n = text.length;
  if (end - start !== n) return false;
  // A char loop: String#startsWith with a position measured several times slower here.
  for (let k = 0; k < n; k++) if (line.charCodeAt(start + k) !== text.charCodeAt(k)) return false;
  return true;
}

let lastHost = '';
/** Program names seen lately: a log repeats a dozen names, so most lines need no new string. */
const recentPrograms: string[] = [];

function recentProgram(line: string, start: number, end: number): string {
  for (const p of recentPrograms) if (sameText(line, start, end, p)) return p;
  const p = line.slice(start, end);
  if (recentPrograms.length >= 16) recentPrograms.shift();
  recentPrograms.push(p);
  return p;
}

/** Reads the `host program[pid]: ` part that follows a syslog time; `pos` is the host's first char. */
function readHostAndTag(
  line: string,
  pos: number,
  ts: string | null,
  tsMs: number | null,
  format: EnvelopeFormat,
): ParsedEnvelope {
  const hostEnd = line.indexOf(' ', pos);
  if (hostEnd < 0) {
    return { format, ts, tsMs, host: line.slice(pos) || null, program: null, pid: null, message: '' };
  }
  const host = sameText(line, pos, hostEnd, lastHost) ? lastHost : (lastHost = line.slice(pos, hostEnd));
  const tagStart = hostEnd + 1;
  let i = tagStart;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 58 /* : */ || c === 91 /* [ */ || c === 32 /* space */) break;
    i++;
  }
  const stop = line.charCodeAt(i);
  if (i === tagStart || i >= n || stop === 32) {
    // No tag (e.g. "last message repeated 3 times"): the rest is the message.
    return { format, ts, tsMs, host, program: null, pid: null, message: line.slice(tagStart) };
  }
  const program = recentProgram(line, tagStart, i);
  let pid: number | null = null;
  if (stop === 91) {
    const close = line.indexOf(']', i);
    if (close < 0 || close - i > 12) {
      return { format, ts, tsMs, host, program: null, pid: null, message: line.slice(tagStart) };
    }
    pid = close > i + 1 ? digitsAt(line, i + 1, close - i - 1) : -1;
    if (pid < 0) pid = null;
    i = close + 1;
    if (line.charCodeAt(i) !== 58) {
      return { format, ts, tsMs, host, program: null, pid: null, message: line.slice(tagStart) };
    }
  }
  // i is at ':'
  // Some setups pad the message (aligned queue ids): no MTA message starts with a space.
  let msgStart = i + 1;
  while (line.charCodeAt(msgStart) === 32) msgStart++;
  return { format, ts, tsMs, host, program, pid, message: line.slice(msgStart) };
}

let cachedPrefix = '';
let cachedGeneration = -1;
let cachedMs = 0;

/**
 * The common classic line, checked by one native regex test (measured faster than a char loop here);
 * anything it does not match (odd tags, no tag) goes through parseClassicSlow. `test` builds no match
 * array: once the shape is known, the host, tag and pid ends are the next space, '[' and ']'. The host is
 * nearly always the previous line's; the program, one of a few that alternate, is cheaper sliced than found.
 */
const CLASSIC = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [^\s[:]+\[\d{1,10}\]: */;

/** Where the host starts in a line CLASSIC matched. */
const CLASSIC_HOST = 16;

let fastKey = -1;
let fastGeneration = -1;
let fastMs = 0;
let fastTs: string | null = null;

function parseClassic(line: string, ctx: ParseContext): ParsedEnvelope | null {
  if (!CLASSIC.test(line)) return parseClassicSlow(line, ctx);
  // The match fixed the positions of the time: read its digits in place.
  const month = monthAt(line, 0);
  const d1 = line.charCodeAt(4);
  const day = (d1 === 32 ? 0 : d1 - 48) * 10 + line.charCodeAt(5) - 48;
  const hour = digitsAt(line, 7, 2);
  const minute = digitsAt(line, 10, 2);
  const second = digitsAt(line, 13, 2);
  if (!validParts(month, day, hour, minute, second)) return null;
  const key = (((month * 32 + day) * 24 + hour) * 60 + minute) * 61 + second;
  const generation = contextGeneration(ctx);
  if (key !== fastKey || generation !== fastGeneration) {
    fastKey = key;
    fastGeneration = generation;
    fastMs = yearlessToMs(ctx, month, day, hour, minute, second, 0);
    fastTs = toIso(fastMs);
  }
  const hostEnd = line.indexOf(' ', CLASSIC_HOST);
  const host = sameText(line, CLASSIC_HOST, hostEnd, lastHost)
    ? lastHost
    : (lastHost = line.slice(CLASSIC_HOST, hostEnd));
  const open = line.indexOf('[', hostEnd + 1);
  const close = line.indexOf(']', open + 1);
  let msgStart = close + 2;
  while (line.charCodeAt(msgStart) === 32) msgStart++;
  return {
    format: 'syslog',
    ts: fastTs,
    tsMs: fastTs === null ? null : fastMs,
    host,
    program: line.slice(hostEnd + 1, open),
    pid: digitsAt(line, open + 1, close - open - 1),
    message: line.slice(msgStart),
  };
}

/** `Nov  3 12:29:32[.ffffff] host prog[pid]: msg` (also journalctl's default output). */
function parseClassicSlow(line: string, ctx: ParseContext): ParsedEnvelope | null {
  if (line.length < 15 || line.charCodeAt(3) !== 32) return null;
  // The day is space-padded ("Nov  3"), two digits ("Nov 13"), or, in some relayed logs, one
  // digit without padding ("Nov 3"): the time starts at 7 or at 6.
  const d1 = line.charCodeAt(4);
  const d2 = line.charCodeAt(5);
  let t = 7;
  let day: number;
  if (isDigit(d1) && d2 === 32) {
    t = 6;
    day = d1 - 48;
  } else {
    if ((d1 !== 32 && !isDigit(d1)) || !isDigit(d2) || line.charCodeAt(6) !== 32) return null;
    day = (d1 === 32 ? 0 : d1 - 48) * 10 + d2 - 48;
  }
  if (line.charCodeAt(t + 2) !== 58 || line.charCodeAt(t + 5) !== 58) return null;
  let end = t + 8;
  if (line.charCodeAt(end) === 46) {
    end++;
    while (isDigit(line.charCodeAt(end))) end++;
  }
  if (line.charCodeAt(end) !== 32) return null;
  let ms: number;
  const generation = contextGeneration(ctx);
  if (generation === cachedGeneration && sameText(line, 0, end, cachedPrefix)) {
    ms = cachedMs;
  } else {
    const month = monthAt(line, 0);
    const hour = digitsAt(line, t, 2);
    const minute = digitsAt(line, t + 3, 2);
    const second = digitsAt(line, t + 6, 2);
    if (!validParts(month, day, hour, minute, second)) return null;
    const frac = end > t + 9 ? Math.floor(Number(`0.${line.slice(t + 9, end)}`) * 1000) : 0;
    ms = yearlessToMs(ctx, month, day, hour, minute, second, frac);
    cachedPrefix = line.slice(0, end);
    cachedGeneration = generation;
    cachedMs = ms;
  }
  const ts = toIso(ms);
  return readHostAndTag(line, end + 1, ts, ts === null ? null : ms, 'syslog');
}

interface IsoTime {
  ms: number;
  /** Index just after the time (and its zone, when present). */
  end: number;
}

/**
 * `YYYY-MM-DD?HH:MM:SS[.f+][Z|±HH:MM|±HHMM| ±HHMM]`, `sep` being 'T' or ' '. `spacedZone` accepts
 * Exim's ` +0100` after the time.
 */
function parseIsoTime(line: string, sep: number, spacedZone: boolean, ctx: ParseContext): IsoTime | null {
  if (line.length < 19 || line.charCodeAt(10) !== sep) return null;
  if (line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45) return null;
  if (line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) return null;
  const year = digitsAt(line, 0, 4);
  const month = digitsAt(line, 5, 2) - 1;
  const day = digitsAt(line, 8, 2);
  const hour = digitsAt(line, 11, 2);
  const minute = digitsAt(line, 14, 2);
  const second = digitsAt(line, 17, 2);
  if (year < 0 || !validParts(month, day, hour, minute, second)) return null;
  let i = 19;
  let frac = 0;
  if (line.charCodeAt(i) === 46 || line.charCodeAt(i) === 44) {
    const fs = i + 1;
    i++;
    while (isDigit(line.charCodeAt(i))) i++;
    if (i === fs) return null;
    // Milliseconds from the first three digits, padded.
    const ds = line.slice(fs, Math.min(i, fs + 3));
    frac = Number(ds.padEnd(3, '0'));
  }
  let c = line.charCodeAt(i);
  if (c === 90 /* Z */) {
    return { ms: zonedToMs(year, month, day, hour, minute, second, frac, 0), end: i + 1 };
  }
  let zoneAt = -1;
  if (c === 43 || c === 45) zoneAt = i;
  else if (spacedZone && c === 32) {
    c = line.charCodeAt(i + 1);
    if ((c === 43 || c === 45) && isDigit(line.charCodeAt(i + 2))) zoneAt = i + 1;
  }
  if (zoneAt >= 0) {
    const sign = line.charCodeAt(zoneAt) === 45 ? -1 : 1;
    const hh = digitsAt(line, zoneAt + 1, 2);
    let mmAt = zoneAt + 3;
    if (line.charCodeAt(mmAt) === 58) mmAt++;
    const mm = digitsAt(line, mmAt, 2);
    if (hh >= 0 && mm >= 0 && hh <= 23 && mm <= 59) {
      const offset = sign * (hh * 60 + mm);
      return {
        ms: zonedToMs(year, month, day, hour, minute, second, frac, offset),
        end: mmAt + 2,
      };
    }
    if (zoneAt === i) return null;
  }
  return { ms: localToMs(ctx, year, month, day, hour, minute, second, frac), end: i };
}

/** Exim mainlog: `YYYY-MM-DD HH:MM:SS[.fff][ ±hhmm][ [pid]] message`. */
const SPACED_SYSLOG = /^([^\s[\]]+) ((?:exim|postfix)[^\s[:]*|[^\s[:]+\/[^\s[:]+)\[(\d{1,10})\]: $/;

function parseEximMainlog(line: string, ctx: ParseContext): ParsedEnvelope | null {
  const t = parseIsoTime(line, 32, true, ctx);
  if (t === null || line.charCodeAt(t.end) !== 32) return null;
  let i = t.end + 1;
  let pid: number | null = null;
  if (line.charCodeAt(i) === 91) {
    const close = line.indexOf(']', i);
    const digits = close > 0 ? line.slice(i + 1, close) : '';
    if (close > 0 && close - i <= 12 && /^\d+$/.test(digits) && line.charCodeAt(close + 1) === 32) {
      pid = Number(digits);
      i = close + 2;
    }
  }
  const ts = toIso(t.ms);
  // rsyslog templates that write "YYYY-MM-DD HH:MM:SS host prog[pid]: msg" (no T): a syslog line.
  const tag = line.indexOf(']: ', i);
  if (tag > 0 && tag - i < 120) {
    const m = SPACED_SYSLOG.exec(line.slice(i, tag + 3));
    if (m !== null) {
      return {
        format: 'rfc3339',
        ts,
        tsMs: ts === null ? null : t.ms,
        host: m[1]!,
        program: m[2]!,
        pid: Number(m[3]),
        message: line.slice(tag + 3).trimStart(),
      };
    }
  }
  return {
    format: 'exim',
    ts,
    tsMs: ts === null ? null : t.ms,
    host: null,
    program: 'exim',
    pid,
    message: line.slice(i),
  };
}

/** `journalctl -o json`: one object a line. */
function parseJournal(line: string): ParsedEnvelope | null {
  const f = readFlatJson(line);
  if (f === null) return null;
  const message = f.get('MESSAGE');
  if (message === undefined) return null;
  const us = f.get('__REALTIME_TIMESTAMP') ?? f.get('_SOURCE_REALTIME_TIMESTAMP');
  let tsMs: number | null = null;
  if (us !== undefined && /^\d{1,19}$/.test(us)) {
    // Microseconds: drop the last three digits without losing precision in a float.
    tsMs = us.length > 3 ? Number(us.slice(0, -3)) : 0;
  }
  const ts = tsMs === null ? null : toIso(tsMs);
  const pidText = f.get('SYSLOG_PID') ?? f.get('_PID');
  const pid = pidText !== undefined && /^\d{1,10}$/.test(pidText) ? Number(pidText) : null;
  return {
    format: 'journal',
    ts,
    tsMs: ts === null ? null : tsMs,
    host: f.get('_HOSTNAME') ?? null,
    program: f.get('SYSLOG_IDENTIFIER') ?? f.get('_COMM') ?? null,
    pid,
    message,
  };
}

/** Splits a line into its envelope and message; a line with no known envelope keeps all as message. */
export function parseEnvelope(line: string, ctx: ParseContext): ParsedEnvelope {
  const c0 = line.charCodeAt(0);
  let env: ParsedEnvelope | null = null;
  if (c0 >= 65 && c0 <= 90) {
    env = parseClassic(line, ctx);
  } else if (isDigit(c0)) {
    const c10 = line.charCodeAt(10);
    if (c10 === 84 /* T */) {
      const t = parseIsoTime(line, 84, false, ctx);
      if (t !== null && line.charCodeAt(t.end) === 32) {
        const ts = toIso(t.ms);
        env = readHostAndTag(line, t.end + 1, ts, ts === null ? null : t.ms, 'rfc3339');
      }
    } else if (c10 === 32) {
      env = parseEximMainlog(line, ctx);
    }
  } else if (c0 === 123 /* { */) {
    env = parseJournal(line);
  }
  return env ?? { format: 'none', ts: null, tsMs: null, host: null, program: null, pid: null, message: line };
}
