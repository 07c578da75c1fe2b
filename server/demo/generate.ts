/**
 * Deterministic synthetic mail-server traffic, written as Postfix syslog or Exim mainlog lines.
 * Feeds the bundled demo log and the benchmarks: same options, same bytes (in one time zone).
 */

import { buildReceivers, localPart, type Receiver } from './domains.js';
import { createRng, createZipf, type Rng } from './random.js';
import { scenariosFor, type Scenario } from './replies.js';

export interface GenerateOptions {
  format: 'postfix' | 'exim';
  /** Stop after this many lines. */
  lines: number;
  seed?: number;
  /** Newest possible line time (unix ms); defaults to 2026-11-28T12:00:00Z for reproducible output. */
  endMs?: number;
  /** Span of the traffic in days, ending at endMs. */
  days?: number;
  /** Number of recipient domains (the first few are the big providers). */
  domains?: number;
  /**
   * Traffic rate in lines per day; defaults to lines/days, so `lines` fills the span. Give it to
   * stop at endMs instead of at a line count (the demo: a fixed rate, history up to now).
   */
  linesPerDay?: number;
  /** Syslog host name of the generated server. */
  host?: string;
  /** Envelope for Postfix lines. */
  envelope?: 'classic' | 'rfc3339';
  /**
   * Traffic on Saturdays and Sundays as a share of a weekday's (default 1: every day alike); the mean rate over a
   * week stays `linesPerDay`.
   */
  weekend?: number;
}

interface Pending {
  t: number;
  seq: number;
  text: string;
}

/** Binary min-heap on (t, seq): lines come out in time order, ties in creation order. */
function createHeap() {
  const items: Pending[] = [];
  const less = (a: Pending, b: Pending) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  return {
    get size() {
      return items.length;
    },
    peek: () => items[0],
    push(p: Pending) {
      items.push(p);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(items[i]!, items[parent]!)) break;
        [items[i], items[parent]] = [items[parent]!, items[i]!];
        i = parent;
      }
    },
    pop(): Pending | undefined {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0 && last) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < items.length && less(items[l]!, items[m]!)) m = l;
          if (r < items.length && less(items[r]!, items[m]!)) m = r;
          if (m === i) break;
          [items[i], items[m]] = [items[m]!, items[i]!];
          i = m;
        }
      }
      return top;
    },
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function classicTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getMonth()]!} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function isoLocal(ms: number, withT: boolean, fraction: boolean): string {
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (!withT) return `${date} ${time}`;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${date}T${time}${fraction ? `.${pad(d.getMilliseconds(), 3)}000` : ''}${zone}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789ABCDEF';
function randomChars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)]!;
  return s;
}

const SENDERS = [
  'noreply@shop.example',
  'news@shop.example',
  'billing@shop.example',
  'alerts@ops.example.org',
  'support@shop.example',
];
const CLIENTS = [
  ['app1.shop.example', '198.51.100.7'],
  ['app2.shop.example', '198.51.100.8'],
  ['crm.ops.example.org', '198.51.100.20'],
] as const;
const OUR_IP = '203.0.113.25';
/** Postfix retry schedule (seconds after the previous try): minimal_backoff 300 doubling to 4000. */
const BACKOFF = [300, 600, 1200, 2400, 4000];
const QUEUE_LIFETIME_MS = 5 * 86_400_000;
const WORLD_SEED = 20261128;

/** One generated line with its time, for callers that replay traffic in real time (the live demo). */
export interface GeneratedLine {
  t: number;
  line: string;
}

export function* generateLines(options: GenerateOptions): Generator<string> {
  for (const g of generateTimedLines(options)) yield g.line;
}

export function* generateTimedLines(options: GenerateOptions): Generator<GeneratedLine> {
  const rng = createRng(options.seed ?? 1);
  const endMs = options.endMs ?? Date.UTC(2026, 10, 28, 12, 0, 0);
  const days = options.days ?? 7;
  const startMs = endMs - days * 86_400_000;
  const host = options.host ?? 'mail';
  // The receiving world has its own seed: traffic with another seed still goes to the same domains.
  const receivers = buildReceivers(createRng(WORLD_SEED), options.domains ?? 300);
  const pickReceiver = createZipf(receivers.length, 1.1);
  const heap = createHeap();
  let seq = 0;
  let pidBase = 1000 + rng.int(20000);
  const pid = () => (pidBase = (pidBase + 1 + rng.int(7)) % 32000 || 1000);

  // Lines one message writes on average (deferrals and notifications included), measured on output.
  const perMessage = options.format === 'postfix' ? 7.2 : 3.4;
  const linesPerDay = options.linesPerDay ?? options.lines / days;
  const meanGapMs = 86_400_000 / (linesPerDay / perMessage);
  const weekend = options.weekend ?? 1;
  // Weekdays above the mean as much as weekends below it, so a week still holds seven days' lines.
  const weekday = 7 / (5 + 2 * weekend);
  const prefix =
    options.format === 'exim'
      ? (t: number) => isoLocal(t, false, false)
      : options.envelope === 'rfc3339'
        ? (t: number) => `${isoLocal(t, true, true)} ${host}`
        : (t: number) => `${classicTime(t)} ${host}`;
  const emit = (t: number, body: string) => {
    if (t <= endMs) heap.push({ t, seq: seq++, text: body });
  };

  const writeMessage = options.format === 'postfix' ? postfixMessage : eximMessage;
  let clock = startMs;
  let emitted = 0;
  while (emitted < options.lines) {
    // Office-hours rhythm: busier by day than by night.
    const now = new Date(clock);
    const hour = now.getUTCHours();
    const dayOfWeek = now.getUTCDay();
    const week = (dayOfWeek === 0 || dayOfWeek === 6 ? weekend : 1) * weekday;
    const rhythm = 0.45 + 0.55 * Math.max(0, Math.sin(((hour - 5) / 24) * 2 * Math.PI));
    const next = clock + -Math.log(1 - rng.next()) * (meanGapMs / (rhythm * 1.6 * week));
    while (heap.size > 0 && heap.peek()!.t <= next && emitted < options.lines) {
      const p = heap.pop()!;
      yield { t: p.t, line: `${prefix(p.t)} ${p.text}` };
      emitted++;
    }
    if (next > endMs) {
      while (heap.size > 0 && emitted < options.lines) {
        const p = heap.pop()!;
        yield { t: p.t, line: `${prefix(p.t)} ${p.text}` };
        emitted++;
      }
      return;
    }
    clock = next;
    if (rng.chance(0.06)) {
      inboundReject(clock);
      continue;
    }
    const n = rng.chance(0.85) ? 1 : 2 + rng.int(4);
    const rcpts: { to: string; rcv: Receiver }[] = [];
    for (let i = 0; i < n; i++) {
      const rcv = receivers[pickReceiver(rng)]!;
      rcpts.push({ to: `${localPart(rng)}@${rcv.domain}`, rcv });
    }
    writeMessage(clock, rcpts);
  }

  function chooseFailure(rcv: Receiver): Scenario | null {
    if (!rng.chance(0.035 + rcv.trouble)) return null;
    const list = scenariosFor(rcv.provider);
    let total = 0;
    for (const s of list) total += s.weight;
    let r = rng.next() * total;
    for (const s of list) {
      r -= s.weight;
      if (r <= 0) return s;
    }
    return list[list.length - 1]!;
  }

  function fill(text: string, to: string, rcv: Receiver): string {
    return text
      .replaceAll('{to}', to)
      .replaceAll('{ip}', OUR_IP)
      .replaceAll('{dom}', rcv.domain)
      .replaceAll('{mxip}', rcv.ip)
      .replaceAll('{mx}', rcv.mx);
  }

  /** Times of each try for a scenario: [firstTry, retries..., final]. */
  function schedule(t0: number, s: Scenario | null): number[] {
    if (!s || s.flow === 'bounce') return [t0];
    const tries = s.flow === 'defer-expire' ? 60 : 1 + rng.int(s.flow === 'defer-bounce' ? 6 : 3);
    const times = [t0];
    let t = t0;
    for (let i = 0; i < tries; i++) {
      t += (BACKOFF[Math.min(i, BACKOFF.length - 1)]! + rng.int(60)) * 1000;
      if (s.flow === 'defer-expire' && t - t0 > QUEUE_LIFETIME_MS) break;
      times.push(t);
    }
    return times;
  }

  /** Each recipient's tries in order, with its scenario (null: sent at the first try); both MTAs log them. */
  function* tries(t0: number, rcpts: readonly { to: string; rcv: Receiver }[]) {
    for (const { to, rcv } of rcpts) {
      const s = chooseFailure(rcv);
      const times = schedule(t0 + 300 + rng.int(1500), s);
      for (let i = 0; i < times.length; i++)
        yield { to, rcv, s, t: times[i]!, isLast: i === times.length - 1 };
    }
  }

  function postfixMessage(t0: number, rcpts: { to: string; rcv: Receiver }[]) {
    const qid = randomChars(rng, HEX, 10);
    const sender = rng.pick(SENDERS);
    const [clientName, clientIp] = rng.pick(CLIENTS);
    const size = 2000 + rng.int(60000);
    const smtpd = pid();
    emit(t0, `postfix/smtpd[${smtpd}]: connect from ${clientName}[${clientIp}]`);
    emit(t0 + 40, `postfix/smtpd[${smtpd}]: ${qid}: client=${clientName}[${clientIp}]`);
    emit(
      t0 + 90,
      `postfix/cleanup[${pid()}]: ${qid}: message-id=<${randomChars(rng, BASE62, 16)}@shop.example>`,
    );
    emit(
      t0 + 120,
      `postfix/qmgr[411]: ${qid}: from=<${sender}>, size=${size}, nrcpt=${rcpts.length} (queue active)`,
    );
    emit(
      t0 + 150,
      `postfix/smtpd[${smtpd}]: disconnect from ${clientName}[${clientIp}] ehlo=2 starttls=1 mail=1 rcpt=${rcpts.length} data=1 quit=1 commands=${6 + rcpts.length}`,
    );
    let last = t0 + 200;
    let expired = false;
    let bounced = false;
    for (const { to, rcv, s, t, isLast } of tries(t0, rcpts)) {
      const delay = ((t - t0) / 1000).toFixed(2);
      const delays = `0.0${rng.int(9)}/${(Math.max(0, t - t0 - 900) / 1000).toFixed(2)}/0.${rng.int(9)}${rng.int(9)}/0.${rng.int(9)}${rng.int(9)}`;
      let status: string;
      if (!s || (isLast && s.flow === 'defer-sent')) {
        status = `relay=${rcv.mx}[${rcv.ip}]:25, delay=${delay}, delays=${delays}, dsn=2.0.0, status=sent (250 2.0.0 OK ${randomChars(rng, BASE62, 10)} - accepted)`;
      } else if (isLast && s.flow === 'bounce') {
        status = describe(s.dsn, 'bounced', s.reply, s.local, s.stage, delay, delays, to, rcv);
        bounced = true;
      } else if (isLast && s.flow === 'defer-bounce' && s.final) {
        status = describe(s.final.dsn, 'bounced', s.final.reply, undefined, s.stage, delay, delays, to, rcv);
        bounced = true;
      } else {
        status = describe(s.dsn, 'deferred', s.reply, s.local, s.stage, delay, delays, to, rcv);
        if (isLast && s.flow === 'defer-expire') expired = true;
      }
      emit(t, `postfix/smtp[${pid()}]: ${qid}: to=<${to}>, ${status}`);
      last = Math.max(last, t);
    }
    if (expired) {
      last = t0 + QUEUE_LIFETIME_MS + rng.int(600_000);
      emit(last, `postfix/qmgr[411]: ${qid}: from=<${sender}>, status=expired, returned to sender`);
    }
    if (bounced || expired) {
      const ndn = randomChars(rng, HEX, 10);
      emit(last + 20, `postfix/bounce[${pid()}]: ${qid}: sender non-delivery notification: ${ndn}`);
      emit(last + 60, `postfix/qmgr[411]: ${ndn}: from=<>, size=${size + 3000}, nrcpt=1 (queue active)`);
      emit(
        last + 400,
        `postfix/lmtp[${pid()}]: ${ndn}: to=<${sender}>, relay=mailstore.shop.example[private/dovecot-lmtp], delay=0.3, delays=0.02/0/0.1/0.18, dsn=2.0.0, status=sent (250 2.0.0 <${sender}> Saved)`,
      );
      emit(last + 420, `postfix/qmgr[411]: ${ndn}: removed`);
    }
    emit(last + 30, `postfix/qmgr[411]: ${qid}: removed`);
  }

  function describe(
    dsn: string,
    status: string,
    reply: string | null,
    local: string | undefined,
    stage: string,
    delay: string,
    delays: string,
    to: string,
    rcv: Receiver,
  ): string {
    if (reply === null) {
      const relay = local?.startsWith('Host or domain') ? 'none' : `${rcv.mx}[${rcv.ip}]:25`;
      const text = fill(local ?? 'delivery temporarily suspended', to, rcv);
      return `relay=${relay}, delay=${delay}, delays=${delays}, dsn=${dsn}, status=${status} (${text})`;
    }
    const inReply = stage === 'CONNECT' ? '' : ` (in reply to ${stage} command)`;
    const said = stage === 'CONNECT' ? 'refused to talk to me' : 'said';
    return `relay=${rcv.mx}[${rcv.ip}]:25, delay=${delay}, delays=${delays}, dsn=${dsn}, status=${status} (host ${rcv.mx}[${rcv.ip}] ${said}: ${fill(reply, to, rcv)}${inReply})`;
  }

  /** Someone else's client refused by our server: the rejects an MX sees. */
  function inboundReject(t: number) {
    const ip = `192.0.2.${10 + rng.int(200)}`;
    const helo = rng.pick(['localhost', 'user-pc', `mail${rng.int(90)}.bulk.example`, `[${ip}]`]);
    const from = `${localPart(rng)}@${rng.pick(['bulk.example', 'promo.example.net', 'cheap-deals.example'])}`;
    const to = `${localPart(rng)}@shop.example`;
    const why = rng.pick([
      `554 5.7.1 Service unavailable; Client host [${ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/${ip}`,
      `450 4.7.1 Client host rejected: cannot find your hostname, [${ip}]`,
      `550 5.1.1 <${to}>: Recipient address rejected: User unknown in local recipient table`,
      `504 5.5.2 <${helo}>: Helo command rejected: need fully-qualified hostname`,
      `454 4.7.1 <${to}>: Relay access denied`,
    ]);
    if (options.format === 'postfix') {
      const p = pid();
      emit(t, `postfix/smtpd[${p}]: connect from unknown[${ip}]`);
      emit(
        t + 300,
        `postfix/smtpd[${p}]: NOQUEUE: reject: RCPT from unknown[${ip}]: ${why}; from=<${from}> to=<${to}> proto=ESMTP helo=<${helo}>`,
      );
      emit(
        t + 400,
        `postfix/smtpd[${p}]: disconnect from unknown[${ip}] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4`,
      );
    } else {
      emit(
        t,
        `H=(${helo}) [${ip}] F=<${from}> rejected RCPT <${to}>: ${why.replace(/^\d{3} \d\.\d\.\d+ /, '')}`,
      );
    }
  }

  function eximId(): string {
    return `${randomChars(rng, BASE62, 6)}-${randomChars(rng, BASE62, 11)}-${randomChars(rng, BASE62, 4)}`;
  }

  function eximMessage(t0: number, rcpts: { to: string; rcv: Receiver }[]) {
    const id = eximId();
    const sender = rng.pick(SENDERS);
    const [clientName, clientIp] = rng.pick(CLIENTS);
    const size = 2000 + rng.int(60000);
    emit(
      t0,
      `${id} <= ${sender} H=${clientName} [${clientIp}] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=plain:${sender} S=${size} id=${randomChars(rng, BASE62, 16)}@shop.example`,
    );
    let last = t0;
    let failed = false;
    for (const { to, rcv, s, t, isLast } of tries(t0, rcpts)) {
      const route = `R=dnslookup T=remote_smtp`;
      let line: string;
      if (!s || (isLast && s.flow === 'defer-sent')) {
        line = `=> ${to} ${route} H=${rcv.mx} [${rcv.ip}] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 OK ${randomChars(rng, BASE62, 10)} - accepted"`;
      } else if (isLast && s.flow === 'defer-expire') {
        line = `** ${to} ${route}: retry timeout exceeded`;
        failed = true;
      } else {
        const permanent = isLast && (s.flow === 'bounce' || s.flow === 'defer-bounce');
        const reply = permanent && s.final ? s.final.reply : s.reply;
        failed ||= permanent;
        if (reply === null && s.local?.startsWith('Host or domain')) {
          line = `** ${to}: Unrouteable address`;
        } else if (reply === null) {
          const errno = s.local?.includes('refused') ? '111' : '110';
          const why = s.local?.includes('refused')
            ? 'Connection refused'
            : s.local?.includes('lost')
              ? 'Remote host closed connection in response to RCPT TO'
              : 'Connection timed out';
          line = `== ${to} ${route} defer (${errno}): ${why}`;
        } else {
          const after =
            s.stage === 'RCPT TO'
              ? `RCPT TO:<${to}>`
              : s.stage === 'MAIL FROM'
                ? `MAIL FROM:<${sender}> SIZE=${size}`
                : s.stage === 'CONNECT'
                  ? 'initial connection'
                  : 'end of data';
          const flag = permanent ? '**' : '==';
          const defer = permanent ? '' : ' defer (-44)';
          line = `${flag} ${to} ${route}${defer} H=${rcv.mx} [${rcv.ip}]: SMTP error from remote mail server after ${after}: ${fill(reply, to, rcv)}`;
        }
      }
      emit(t, `${id} ${line}`);
      last = Math.max(last, t);
    }
    if (failed) {
      const bid = eximId();
      emit(last + 10, `${bid} <= <> R=${id} U=Debian-exim P=local S=${size + 2500}`);
      emit(last + 300, `${bid} => ${sender} R=local_user T=mail_spool`);
      emit(last + 310, `${bid} Completed`);
    }
    emit(last + 50, `${id} Completed`);
  }
}
