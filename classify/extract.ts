/** Finds the basic reply code, the enhanced status and the SMTP stage in a free-form reply text. */

import type { SmtpStage } from '../parsers/types.js';

// x.y.z not inside a dotted number (IP addresses, versions): 5.1.1, #5.1.0, 5.7.606.
const enhancedRe = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)/;
const enhancedGlobalRe = /(?<![\w.])([245])\.([0-7])\.(\d{1,3})(?!\.?\d)/g;
// A 3-digit reply code followed by a space, a hyphen (continuation) or the end.
const replyGlobalRe = /(?<![\w.:/=#-])([2-5][0-5]\d)(?=[ -]|$)/g;
const replyAfterMarkerRe =
  /(?:^|said:|<<<|returned was:|ERROR_CODE ?:|\(reason:|Received >>>|Out:|reply:|said |response:?|\]:|error:)\s*([245][0-5]\d)(?![\d.])/i;

/** The first enhanced status code in the text (e.g. "5.7.1"), or null. */
export function extractEnhancedStatus(text: string): string | null {
  const m = enhancedRe.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

/**
 * The most specific enhanced status in the text: the first whose subject and detail are not both
 * zero (receivers often prefix a generic x.0.0 before the real one), else the first.
 */
export function extractSpecificStatus(text: string): string | null {
  let first: string | null = null;
  enhancedGlobalRe.lastIndex = 0;
  for (let m = enhancedGlobalRe.exec(text); m !== null; m = enhancedGlobalRe.exec(text)) {
    const code = `${m[1]}.${m[2]}.${m[3]}`;
    if (m[2] !== '0' || m[3] !== '0') return code;
    first ??= code;
  }
  return first;
}

/** The basic reply code of the text: after a "said:"-style marker, else the first plausible one. */
export function extractReplyCode(text: string): number | null {
  const marked = replyAfterMarkerRe.exec(text);
  if (marked) return Number(marked[1]);
  replyGlobalRe.lastIndex = 0;
  let fallback: number | null = null;
  for (let m = replyGlobalRe.exec(text); m !== null; m = replyGlobalRe.exec(text)) {
    const code = Number(m[1]);
    if (code < 400 && code !== 250 && code !== 251 && code !== 252) continue;
    // A code directly followed by an enhanced status is certainly a reply code.
    const after = text.slice(m.index + 3, m.index + 6);
    if (/^[ -][245]\./.test(after)) return code;
    fallback ??= code;
  }
  return fallback;
}

const stageRules: readonly { stage: SmtpStage; re: RegExp }[] = [
  {
    stage: 'end-of-data',
    re: /end of data|end of DATA command|after I sent the message|failed after I sent|Body of message generated|message body|after the message|after DATA command|end-of-data|in reply to DATA command|after DATA\b/i,
  },
  {
    stage: 'rcpt',
    re: /RCPT TO|RCPT command|\[RCPT_TO\]|does not like recipient|did not like our RCPT|SMTP:RCPT|RCPT response|RCPT\b/i,
  },
  { stage: 'mail', re: /MAIL FROM|sender was rejected|\[MAIL_FROM\]|MAIL command/i },
  { stage: 'helo', re: /\b(?:HELO|EHLO)\b|my name was rejected|\bLHLO\b/i },
  {
    stage: 'connect',
    re: /\bE?SMTP (?:service )?not accepting|\sESMTP\b(?! error)|initial connection|initial greeting|refused to talk to me|greeting failed|banner|connection greeting|SMTP greeting|\bat connect\b/i,
  },
];

/** The regexes of the stage rules, in order (for the shared prefilter). */
export const STAGE_REGEXES: readonly RegExp[] = stageRules.map((r) => r.re);

/** The SMTP stage the text says the reply came at, or null. */
export function extractStage(text: string, may?: (i: number) => boolean): SmtpStage | null {
  for (let i = 0; i < stageRules.length; i++) {
    const r = stageRules[i]!;
    if ((may === undefined || may(i)) && r.re.test(text)) return r.stage;
  }
  return null;
}
