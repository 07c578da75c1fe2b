/**
 * One reader for SMTP reply texts as Postfix and Exim log them: basic code, enhanced status, the
 * SMTP stage, the remote host and IP, and a readable diagnostic with multi-line prefixes folded.
 */

import type { Reply, SmtpStage } from './types.js';

/** Command words as they appear after "in reply to", "while sending", "after" → stage. */
function stageOfCommand(cmd: string): SmtpStage | null {
  const u = cmd.toUpperCase();
  if (u.startsWith('RCPT')) return 'rcpt';
  if (u.startsWith('MAIL')) return 'mail';
  if (u.startsWith('END OF DATA') || u.startsWith('END OF MESSAGE') || u.startsWith('END-OF-MESSAGE')) {
    return 'end-of-data';
  }
  if (
    u.startsWith('DATA') ||
    u.startsWith('BDAT') ||
    u.startsWith('MESSAGE') ||
    u.startsWith('SENDING DATA')
  ) {
    return 'data';
  }
  if (u.startsWith('EHLO') || u.startsWith('HELO') || u.startsWith('LHLO') || u.startsWith('THE EHLO')) {
    return 'helo';
  }
  if (
    u.startsWith('STARTTLS') ||
    u.startsWith('AUTH') ||
    u.startsWith('XCLIENT') ||
    u.startsWith('XFORWARD')
  ) {
    return 'helo';
  }
  if (
    u.startsWith('INITIAL') ||
    u.startsWith('CONNECT') ||
    u.startsWith('THE INITIAL') ||
    u.startsWith('SERVER GREETING')
  ) {
    return 'connect';
  }
  return null;
}

const WHILE_DOING = /\bwhile (?:sending|receiving|performing) (?:the )?([A-Za-z][A-Za-z -]{1,40})/;
const EXIM_AFTER =
  /^(?:SMTP error from remote (?:mail server|mailer)|LMTP error|PRDR error) after (?:pipelined )?/;

/** Characters that end a host name when walking back from its '['. */
function endsHost(c: number): boolean {
  return c === 32 || c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 44;
}

/**
 * The first `name[ip]` in s (from `from`), scanning without regexes so that the time stays linear
 * in the length whatever the text.
 */
export function findHostIp(s: string, from = 0): { host: string; ip: string } | null {
  let open = s.indexOf('[', from);
  let close = -1;
  while (open >= 0) {
    // Reuse the last ']' while it is still ahead: keeps "[[[[...]" linear.
    if (close <= open) close = s.indexOf(']', open + 1);
    if (close < 0) return null;
    let b = open;
    while (b > from && !endsHost(s.charCodeAt(b - 1))) b--;
    const ip = s.slice(open + 1, close);
    // postscreen's "[ip]:port"; not a HELO argument in parentheses ("([192.0.2.1])").
    const bare = b === open && s.charCodeAt(open - 1) !== 40 && /^[0-9A-Fa-f.:]{2,45}$/.test(ip);
    if ((b < open || bare) && close - open <= 65 && !ip.includes(' ') && !ip.includes('[')) {
      return { host: s.slice(b, open), ip };
    }
    open = s.indexOf('[', open + 1);
  }
  return null;
}

export interface EximHost {
  /** The name after H= as logged (may be "(helo)" when the client had no name; '' for a bare `H=[ip]`). */
  host: string;
  ip: string | null;
  port: number | null;
  /** The HELO name in parentheses after the host name, when logged. */
  helo: string | null;
}

/** Exim's `H=name (helo) [ip]:port`: the first H= of the text, read without regexes. */
export function findEximHost(s: string): EximHost | null {
  const at = s.startsWith('H=') ? 0 : s.indexOf(' H=');
  if (at < 0) return null;
  const start = at === 0 ? 2 : at + 3;
  const sp = s.indexOf(' ', start);
  let host = sp < 0 ? s.slice(start) : s.slice(start, sp);
  let ip: string | null = null;
  let port: number | null = null;
  let helo: string | null = null;
  if (host.charCodeAt(0) === 91) {
    // "H=[192.0.2.1]:25": neither a name nor a HELO, only the address.
    const close = host.indexOf(']');
    if (close > 1) {
      ip = host.slice(1, close);
      const p = host.slice(close + 2);
      if (host.charCodeAt(close + 1) === 58 && /^\d{1,5}$/.test(p)) port = Number(p);
      host = '';
      return { host, ip, port, helo };
    }
  }
  if (sp >= 0 && s.charCodeAt(sp + 1) === 40) {
    const close = s.indexOf(')', sp + 2);
    if (close > 0 && close - sp < 300) helo = s.slice(sp + 2, close);
  }
  // The IP is the first "[...]" after the name that is preceded by a space (HELO names come in parens).
  let k = sp;
  while (k >= 0 && k - sp < 300) {
    if (s.charCodeAt(k + 1) === 91) {
      const close = s.indexOf(']', k + 2);
      if (close > 0 && close - k < 70) {
        ip = s.slice(k + 2, close);
        if (s.charCodeAt(close + 1) === 58) {
          let e = close + 2;
          let v = 0;
          while (e < close + 8 && s.charCodeAt(e) >= 48 && s.charCodeAt(e) <= 57) {
            v = v * 10 + s.charCodeAt(e) - 48;
            e++;
          }
          if (e > close + 2 && v <= 65535) port = v;
        }
      }
      break;
    }
    if (s.charCodeAt(k + 1) !== 40) break;
    k = s.indexOf(' ', k + 1);
  }
  return { host, ip, port, helo };
}

export interface ReplyParts extends Reply {
  /** The text after the code (and enhanced status), useful to callers that want only the words. */
  text: string;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length of an enhanced status `d.ddd.ddd` at `pos` (optionally after '#'), or 0. */
function enhancedAt(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  if (c !== 50 && c !== 52 && c !== 53) return 0;
  if (s.charCodeAt(pos + 1) !== 46) return 0;
  let i = pos + 2;
  const a = i;
  while (isDigit(s.charCodeAt(i)) && i - a < 3) i++;
  if (i === a || s.charCodeAt(i) !== 46) return 0;
  i++;
  const b = i;
  while (isDigit(s.charCodeAt(i)) && i - b < 3) i++;
  if (i === b) return 0;
  const after = s.charCodeAt(i);
  // Must end the token: space, end, or punctuation that ends a word.
  if (!Number.isNaN(after) && after !== 32 && after !== 44 && after !== 59 && after !== 41 && after !== 58)
    return 0;
  return i - pos;
}

/** Removes the code (and enhanced status) prefixes of continuation lines Postfix joined with spaces. */
function foldContinuations(rest: string, code: string, esc: string | null): string {
  let out = '';
  let from = 0;
  let i = rest.indexOf(code, 0);
  while (i >= 0) {
    const before = i === 0 ? 32 : rest.charCodeAt(i - 1);
    // Exim writes the line breaks of a reply as a literal "\n".
    const escapedBreak = before === 110 && rest.charCodeAt(i - 2) === 92;
    const sep = rest.charCodeAt(i + 3);
    if (
      (before === 32 || escapedBreak) &&
      (sep === 45 || sep === 32) &&
      !isDigit(rest.charCodeAt(i - 2) || 0)
    ) {
      let end = i + 4;
      if (esc !== null && rest.startsWith(esc, end)) {
        const after = rest.charCodeAt(end + esc.length);
        if (after === 32 || Number.isNaN(after)) end += esc.length + 1;
      }
      const cut = i === 0 ? 0 : escapedBreak ? i - 2 : i - 1;
      out += rest.slice(from, cut);
      if (out.length > 0 && end < rest.length) out += ' ';
      from = Math.min(end, rest.length);
    }
    i = rest.indexOf(code, i + 3);
  }
  return from === 0 ? rest : out + rest.slice(from);
}

/** Splits a reply text starting with `ddd[ -]` and/or an enhanced status into its parts. */
export function splitCodes(reply: string): {
  replyCode: number | null;
  enhancedStatus: string | null;
  text: string;
  diagnostic: string;
} {
  let i = 0;
  let replyCode: number | null = null;
  let enhancedStatus: string | null = null;
  const c0 = reply.charCodeAt(0);
  let multi = false;
  if (c0 >= 50 && c0 <= 53 && isDigit(reply.charCodeAt(1)) && isDigit(reply.charCodeAt(2))) {
    const sep = reply.charCodeAt(3);
    if (sep === 32 || sep === 45 || Number.isNaN(sep)) {
      replyCode = (c0 - 48) * 100 + (reply.charCodeAt(1) - 48) * 10 + reply.charCodeAt(2) - 48;
      multi = sep === 45;
      i = Number.isNaN(sep) ? 3 : 4;
    }
  }
  const hash = reply.charCodeAt(i) === 35 ? 1 : 0;
  const n = enhancedAt(reply, i + hash);
  if (n > 0) {
    enhancedStatus = reply.slice(i + hash, i + hash + n);
    i += hash + n;
    if (reply.charCodeAt(i) === 32) i++;
  }
  let text = reply.slice(i);
  if (multi && replyCode !== null) {
    text = foldContinuations(text, reply.slice(0, 3), enhancedStatus);
  }
  let diagnostic = reply;
  if (multi) {
    const head = [replyCode === null ? '' : String(replyCode), enhancedStatus ?? '']
      .filter((p) => p !== '')
      .join(' ');
    diagnostic = text === '' ? head : `${head} ${text}`;
  }
  return { replyCode, enhancedStatus, text, diagnostic };
}

/**
 * Reads a reply or a local failure text, e.g. `host mx.example[192.0.2.1] said: 550 5.1.1 <a@b>
 * User unknown (in reply to RCPT TO command)` or `connect to mx.example[192.0.2.1]:25: Connection
 * refused` or Exim's `SMTP error from remote mail server after RCPT TO:<a@b>: 550 5.1.1 ...`.
 */
export function extractReply(input: string): ReplyParts {
  let s = input;
  let stage: SmtpStage | null = null;
  let remoteHost: string | null = null;
  let remoteIp: string | null = null;

  // Postfix: "(in reply to RCPT TO command)" at the end.
  if (s.endsWith(')')) {
    const at = s.lastIndexOf('(in reply to ');
    if (at >= 0 && s.indexOf(')', at) === s.length - 1) {
      stage = stageOfCommand(s.slice(at + 13, -1));
      s = s.slice(0, at).trimEnd();
    }
  }

  let replyText: string | null = null;
  const said = s.indexOf(' said: ');
  const refused = said < 0 ? s.indexOf(' refused to talk to me: ') : -1;
  if (said >= 0 || refused >= 0) {
    const at = said >= 0 ? said : refused;
    const hostPart = s.slice(0, at);
    const hm = findHostIp(hostPart);
    if (hm !== null) {
      remoteHost = hm.host;
      remoteIp = hm.ip;
    }
    replyText = s.slice(at + (said >= 0 ? 7 : 24));
    if (refused >= 0) stage ??= 'connect';
  } else {
    const em = EXIM_AFTER.exec(s);
    if (em !== null) {
      const rest = s.slice(em[0].length);
      stage ??= stageOfCommand(rest);
      // "RCPT TO:<a@b>: 550 ..." — the command may itself hold a colon.
      const gt = rest.startsWith('RCPT TO:<') || rest.startsWith('MAIL FROM:<') ? rest.indexOf('>: ') : -1;
      const colon = gt >= 0 ? gt + 1 : rest.indexOf(': ');
      replyText = colon >= 0 ? rest.slice(colon + 2) : rest;
    }
  }

  if (replyText !== null) {
    const parts = splitCodes(replyText);
    return {
      replyCode: parts.replyCode,
      enhancedStatus: parts.enhancedStatus,
      stage,
      remoteHost,
      remoteIp,
      diagnostic: parts.diagnostic,
      text: parts.text,
    };
  }

  // Local causes and bare replies.
  if (stage === null && s.includes('while ')) {
    const wm = WHILE_DOING.exec(s);
    if (wm !== null) stage = stageOfCommand(wm[1] ?? '');
  }
  const hm = findHostIp(s);
  if (hm !== null) {
    remoteHost = hm.host;
    remoteIp = hm.ip;
  }
  if (stage === null && (s.includes('connect to ') || s.includes('Connection refused'))) stage = 'connect';
  const parts = splitCodes(s);
  return {
    replyCode: parts.replyCode,
    enhancedStatus: parts.enhancedStatus,
    stage,
    remoteHost,
    remoteIp,
    diagnostic: parts.diagnostic,
    text: parts.text,
  };
}
