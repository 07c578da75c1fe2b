import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractReply, parseLine } from '../../../parsers/index.js';
import type { ParseContext } from '../../../parsers/types.js';

const ctx: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };
const KINDS = [
  'delivery',
  'reject',
  'note',
  'message',
  'notification',
  'probe',
  'debug',
  'warning',
  'ignored',
  'unparsed',
  'foreign',
];

/** Realistic lines of every family, cut and mutated by the properties below. */
const SEEDS = [
  'Jun  3 10:40:59 mail postfix/smtp[9890]: 5A1C93E07B24: to=<n@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1.9, delays=0/0/1.5/0.37, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550-5.1.1 a 550 5.1.1 b (in reply to RCPT TO command))',
  '2026-11-28T12:29:32.123456+01:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from c[192.0.2.2]: 550 5.1.1 <t@x>: no; from=<s@x> to=<t@x> proto=ESMTP helo=<h>',
  'Nov 28 10:00:00 mx postfix/cleanup[1]: 5E3F8A0B1C: reject: header Subject: x from c[192.0.2.3]; from=<s@x> to=<t@x> proto=ESMTP helo=<c>: 5.7.1 no',
  'Nov 28 10:00:00 mx postfix/qmgr[1]: 9E61C2D4B0: from=<s@example.com>, size=312343, nrcpt=2 (queue active)',
  '2026-11-28 10:00:00.25 +0100 [12] 1tX9aB-0004Qz-7K ** u@x R=a T=b H=m [192.0.2.4]:25: SMTP error from remote mail server after RCPT TO:<u@x>: 550 5.1.1 no',
  '2026-11-28 10:00:00 16VDhn-000000001bo-D342 == u@x R=a T=b defer (-44) H=m [192.0.2.5]: SMTP error from remote mail server after RCPT TO:<u@x>: 452 full',
  '2026-11-28 10:00:00 H=(h) [192.0.2.6]:1 F=<a@x> rejected RCPT <b@y>: no',
  '{"__REALTIME_TIMESTAMP":"1795865372123456","_HOSTNAME":"mx","SYSLOG_IDENTIFIER":"postfix/smtp","_PID":"7","MESSAGE":"A1B2C3D4E5: removed"}',
];

function check(line: string): void {
  const r = parseLine(line, ctx);
  expect(KINDS).toContain(r.kind);
  // Records must survive JSON (the parse command writes them so).
  expect(typeof JSON.stringify(r)).toBe('string');
}

describe('parseLine is total', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => check(s)),
      { numRuns: 2000 },
    );
  });

  it('never throws on random bytes read as latin1 or utf-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const buf = Buffer.from(bytes);
        check(buf.toString('latin1'));
        check(buf.toString('utf8'));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on truncated and mutated real lines', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 8 }),
        (seed, cut, at, insert) => {
          check(seed.slice(0, cut % (seed.length + 1)));
          const p = at % (seed.length + 1);
          check(seed.slice(0, p) + insert + seed.slice(p));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on random syslog-shaped lines', () => {
    const word = fc.stringMatching(/^[ -~]{0,30}$/);
    fc.assert(
      fc.property(
        fc.constantFrom(
          'postfix/smtp',
          'postfix/smtpd',
          'postfix/cleanup',
          'postfix/qmgr',
          'exim',
          'postfix/bounce',
        ),
        fc.array(
          fc.oneof(
            word,
            fc.constantFrom(
              'to=<',
              '>, ',
              'status=',
              ' said: ',
              '[',
              ']',
              '; from=<',
              'NOQUEUE: ',
              'reject: ',
              '(in reply to ',
              ')',
              'H=',
              ' rejected ',
              '=> ',
              '** ',
              'A1B2C3D4E5: ',
            ),
          ),
          { maxLength: 20 },
        ),
        (program, parts) => check(`Nov 28 10:00:00 mx ${program}[1]: ${parts.join('')}`),
      ),
      { numRuns: 3000 },
    );
  });
});

/** Adversarial 1 MB lines: long runs that would make a backtracking scan quadratic. */
function bigLines(n: number): string[] {
  const head = 'Nov 28 10:00:00 mx postfix/smtp[1]: A1B2C3D4E5: ';
  const exim = '2026-11-28 10:00:00 1tX9aB-0004Qz-7K ';
  return [
    head + 'to=<' + 'a'.repeat(n),
    head + 'to=<a@x>, relay=' + '['.repeat(n) + ']' + ', status=deferred (' + ' '.repeat(n),
    head + 'host ' + 'x'.repeat(n) + '[' + ' said: 550 '.repeat(n / 11),
    head + 'to=<a@x>, status=bounced (' + '550-5.1.1 '.repeat(n / 10) + ')',
    exim + '** ' + 'H='.repeat(n / 2),
    exim + '== u@x ' + ' <'.repeat(n / 2),
    '2026-11-28 10:00:00 ' + 'H=(x) '.repeat(n / 6) + ' rejected RCPT <' + 'a'.repeat(n / 2),
    '{"MESSAGE":' + '['.repeat(n),
    '{"a":"' + '\\u0041'.repeat(n / 6) + '","MESSAGE":"x"}',
    head + 'reject: RCPT from ' + '[a'.repeat(n / 2) + '; from=<'.repeat(10),
  ];
}

describe('cost grows linearly with the line length', () => {
  it('handles 1 MB lines', () => {
    for (const line of bigLines(1 << 20)) check(line);
  });

  it('spends about the same time on 16 short lines as on one 16x longer line', () => {
    // Equal bytes on both sides: linear cost gives a ratio near 1, quadratic near 16. CPU time,
    // best of several rounds, so that a busy shared machine does not decide the outcome.
    const cpuMs = (f: () => void): number => {
      let best = Infinity;
      for (let k = 0; k < 5; k++) {
        const t0 = process.cpuUsage();
        f();
        const t = process.cpuUsage(t0);
        best = Math.min(best, (t.user + t.system) / 1000);
      }
      return best;
    };
    const small = bigLines(1 << 16);
    const large = bigLines(1 << 20);
    const smallMs = cpuMs(() => {
      for (let r = 0; r < 16; r++) for (const l of small) parseLine(l, ctx);
    });
    const largeMs = cpuMs(() => {
      for (const l of large) parseLine(l, ctx);
    });
    expect(largeMs / Math.max(smallMs, 1)).toBeLessThan(5);
  });

  it('reads a long multi-line reply in linear time', () => {
    const reply = (n: number): string =>
      `host m[192.0.2.1] said: ${'550-5.7.1 word '.repeat(n)}550 5.7.1 end (in reply to end of DATA command)`;
    const r = extractReply(reply(1000));
    expect(r).toMatchObject({ replyCode: 550, enhancedStatus: '5.7.1', stage: 'end-of-data' });
    expect(r.diagnostic).not.toContain('550-');
  });
});

describe('every envelope gives the same record', () => {
  const MESSAGES = [
    'A1B2C3D4E5: to=<u@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=4.2.2, status=deferred (host mx.example.com[192.0.2.1] said: 452 4.2.2 full (in reply to RCPT TO command))',
    'NOQUEUE: reject: RCPT from c.example.net[192.0.2.2]: 554 5.7.1 no; from=<s@example.net> to=<t@example.com> proto=ESMTP helo=<c>',
    'A1B2C3D4E5: from=<s@example.com>, size=10, nrcpt=1 (queue active)',
    'warning: something odd',
    'a shape nobody knows',
  ];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

  it('classic, RFC 3339, short-iso and journald JSON agree for any time and message', () => {
    const ref = Date.UTC(2026, 10, 28, 12);
    const c: ParseContext = { referenceMs: ref, utcOffsetMinutes: 0 };
    fc.assert(
      fc.property(
        // Any second of the year before the reference (classic syslog cannot say which year).
        fc.integer({ min: 0, max: 364 * 86_400 - 1 }),
        fc.constantFrom(...MESSAGES),
        fc.constantFrom('postfix/smtp', 'postfix/smtpd', 'postfix-out/qmgr'),
        fc.integer({ min: 1, max: 99_999 }),
        (back, message, program, pid) => {
          const ms = ref - back * 1000;
          const d = new Date(ms);
          const day = d.getUTCDate();
          const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
          const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(day)}`;
          const tail = `mx ${program}[${pid}]: ${message}`;
          const lines = [
            `${MONTHS[d.getUTCMonth()]!} ${day < 10 ? ` ${day}` : day} ${time} ${tail}`,
            `${date}T${time}.000000+00:00 ${tail}`,
            `${date}T${time}+0000 ${tail}`,
            JSON.stringify({
              __REALTIME_TIMESTAMP: `${ms}000`,
              _HOSTNAME: 'mx',
              SYSLOG_IDENTIFIER: program,
              _PID: String(pid),
              MESSAGE: message,
            }),
          ];
          // An unparsed record keeps its raw line, which differs by envelope; the rest must not.
          const [first, ...rest] = lines.map((l) => {
            const r = parseLine(l, c);
            return r.kind === 'unparsed' ? { ...r, line: '' } : r;
          });
          expect(first!.ts).toBe(d.toISOString());
          for (const r of rest) expect(r).toEqual(first);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('fields written into a line come back out', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const domain = fc
    .tuple(label, fc.constantFrom('com', 'org', 'example', 'co.uk'))
    .map(([a, b]) => `${a}.${b}`);
  const local = fc.stringMatching(/^[A-Za-z0-9._+-]{1,20}$/);
  const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const qid = fc.stringMatching(/^[0-9A-F]{6,12}$/);
  const c: ParseContext = { referenceMs: Date.UTC(2026, 10, 28, 12), utcOffsetMinutes: 0 };

  it('Postfix status lines', () => {
    fc.assert(
      fc.property(
        qid,
        local,
        domain,
        domain,
        ip,
        fc.constantFrom('sent', 'deferred', 'bounced'),
        fc.integer({ min: 200, max: 599 }),
        (id, user, dom, mx, addr, status, code) => {
          const line = `Nov 28 10:00:00 mx postfix/smtp[1]: ${id}: to=<${user}@${dom}>, relay=${mx}[${addr}]:25, delay=1.5, delays=0/0/0.5/1, dsn=4.0.0, status=${status} (host ${mx}[${addr}] said: ${code} some text (in reply to RCPT TO command))`;
          const r = parseLine(line, c);
          expect(r).toMatchObject({
            kind: 'delivery',
            queueId: id,
            recipient: `${user}@${dom}`,
            recipientDomain: dom,
            outcome: status,
            relayHost: mx,
            relayIp: addr,
            port: 25,
            dsn: '4.0.0',
            delay: 1.5,
          });
          if (status !== 'sent')
            expect(r).toMatchObject({ replyCode: code, stage: 'rcpt', diagnostic: `${code} some text` });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('Exim failure lines', () => {
    fc.assert(
      fc.property(
        local,
        domain,
        domain,
        ip,
        fc.constantFrom('**', '=='),
        fc.integer({ min: 400, max: 599 }),
        (user, dom, mx, addr, flag, code) => {
          const line = `2026-11-28 10:00:00 1tA2bC-000123-Xy ${flag} ${user}@${dom} R=dnslookup T=remote_smtp H=${mx} [${addr}]: SMTP error from remote mail server after RCPT TO:<${user}@${dom}>: ${code} no such user`;
          expect(parseLine(line, c)).toMatchObject({
            kind: 'delivery',
            recipient: `${user}@${dom}`,
            recipientDomain: dom,
            outcome: flag === '**' ? 'bounced' : 'deferred',
            relayHost: mx,
            relayIp: addr,
            replyCode: code,
            stage: 'rcpt',
            transport: 'remote_smtp',
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
