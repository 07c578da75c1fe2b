// The counts `bouncewatch report --all --format json` has to equal, made from the raw lines of mail
// logs by the counting rules of the design (docs/design.md, Counting). Plain Node on purpose: it
// shares no code with the product, so that a mistake in one shows up as a difference.
//   node scripts/count-raw.mjs [--own-domain D]... [--not-own-domain D]... [--explain] LOG...
// Several logs count as one store (one server's history). --explain writes each counted line to
// stderr as `what<TAB>domain<TAB>line`. Prints one JSON object:
//   totals {sent, deferred, bounced, expired, rejected}
//   flows {outbound, inbound: {sent, deferred, bounced, expired}, hops, waits, discarded, probes,
//          notes, notifications}
//   notificationDeliveries {sent, deferred, bounced, expired}  (kept out of flows.outbound/inbound)
//   ownDomains [{domain, why}], domains [{domain, direction, sent, deferred, bounced, expired, rejected}]
// The rules, as read here:
// - Deliveries: Postfix `to=<...>, ... status=sent|deferred|bounced` of every agent but discard(8);
//   Exim `=>`, `->`, `>>` sent, `**` bounced, `==` deferred. The recipient's domain decides the row.
// - Counted apart, never deliveries: hops (a sent line to a loopback address or `localhost` whose
//   reply names the next queue id: `queued as ID`, or Exim's `id=ID`), waits (Exim `== ... defer
//   (n): retry time not [yet] reached`; Postfix `status=deferred (delivery temporarily suspended:
//   ...)`, not tried), discards (Exim `:blackhole:`, `=> discarded <a>`,
//   `=> blackhole (... ACL ...)`; Postfix discard(8), the `discard` actions of smtpd, cleanup
//   and milters, and a loopback filter's `Ok, discarded` reply), probes (Postfix `status=deliverable|undeliverable|undeliverable-but-not-cached`),
//   notes (Postfix `reject_warning`, `hold`, `warn` and header/body WARN actions).
// - Expired: Postfix qmgr `status=expired|force-expired`, once per message in the totals; per
//   domain once per recipient still undelivered (its last line a deferral), or once under the
//   domain '' when none is known.
// - Rejected: one per reject line; per domain, those addressed to it (the domain '' for those that
//   name no recipient). Postfix
//   `reject`, `milter-reject`, `milter-header-reject`, `milter-body-reject`, `proxy-reject`; Exim
//   lines whose verb is `rejected` (or `temporarily rejected`), after the client's fields or at
//   the start, and the synchronization error's `rejected connection from H=`.
// - Notifications: Postfix bounce-daemon `... notification: NEWID` lines; Exim `<= <> ... R=ID`.
//   Their messages' deliveries count in totals and domains, but in neither flow.
// - Own domains: delivered to a local mailbox (a sent line of Postfix local, virtual or lmtp, or
//   to a relay on a unix socket; an Exim sent line with a transport and no remote host); named
//   by --own-domain (--not-own-domain overrides every rule); the original recipient's domain of a
//   forward (Postfix `orig_to=`, Exim `=> final <original>`); or mail for it accepted from at least
//   3 distinct outside client IPs that are not relay clients. Outside: not loopback, private or
//   link-local. A relay client authenticated once (Postfix `sasl_username=`/`sasl_method=`, Exim
//   `A=`), or its accepted mail went to 10 or more recipient domains. A message's recipients are
//   those its delivery, hop, wait and discard lines name.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EXIM_ID = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}$/;
const EXIM_ID_IN_TEXT = /(?:^|\s)id=([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4})(?![-0-9A-Za-z])/;
const MAINLOG = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? (.*)$/;
const SYSLOG =
  /^(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*) (\S+) ([^\s[\]:]+)(?:\[\d+\])?:\s+(.*)$/;
// The reply in parentheses may be cut short by syslog: whatever follows the status is its text.
const POSTFIX_DELIVERY = /^to=<(.*?)>, (?:orig_to=<(.*?)>, )?relay=([^,]*), .*?\bstatus=([\w-]+)(?: (.*))?$/;
const POSTFIX_REJECT = /^(?:reject|milter-reject|milter-header-reject|milter-body-reject|proxy-reject): /;
const POSTFIX_NOTE = /^(?:reject_warning|hold|milter-hold|warn|milter-(?:header|body)-(?:hold|warning)): /;
const POSTFIX_WARN_ACTION = /^warning: (?:header|body) .*; from=</;
const POSTFIX_DISCARD = /^(?:discard|milter-discard|milter-(?:header|body)-discard): /;
const TRAILER_TO = /from=<[^>]*>,? to=<([^>]*)>/;

function usage(message) {
  process.stderr.write(
    `count-raw: ${message}\nusage: node scripts/count-raw.mjs [--own-domain D]... [--not-own-domain D]... [--explain] LOG...\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const own = [];
  const notOwn = [];
  const files = [];
  let explain = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--explain') {
      explain = true;
    } else if (a === '--own-domain' || a === '--not-own-domain') {
      const d = argv[++i];
      if (!d) usage(`${a} needs a domain`);
      (a === '--own-domain' ? own : notOwn).push(d.toLowerCase());
    } else if (a.startsWith('--')) {
      usage(`unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) usage('no log named');
  return { own, notOwn, explain, files };
}

const domainOf = (address) => {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .replace(/[>.]+$/, '')
        .toLowerCase();
};

/** Postfix queue ids: upper-case hex, or the long form (letters and digits without vowels). */
const isPostfixQueueId = (s) =>
  /^[0-9A-F]{5,12}$/.test(s) || /^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{12,24}$/.test(s);

function isLoopbackIp(ip) {
  const v = ip.replace(/^::ffff:/i, '');
  return v.startsWith('127.') || v === '::1';
}

/** A client address from outside: an IP that is not loopback, private or link-local. */
function isOutside(ip) {
  const v = ip.replace(/^::ffff:/i, '');
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(v);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return false;
    return !(a === 169 && b === 254);
  }
  if (!/^[0-9a-f:]+$/i.test(v) || !v.includes(':')) return false;
  const l = v.toLowerCase();
  return !(l === '::1' || /^f[cd]/.test(l) || /^fe[89ab]/.test(l));
}

/** Postfix `relay=name[addr]:port`: a loopback hop target, or a unix socket on this host. */
function relayParts(relay) {
  const m = /^([^[]*)\[([^\]]*)\]/.exec(relay);
  if (!m) return { loopback: false, socket: relay.includes('/') };
  const host = m[1].toLowerCase();
  return {
    loopback: isLoopbackIp(m[2]) || host === 'localhost' || host.startsWith('localhost.'),
    socket: m[2].includes('/'),
  };
}

function createCounter(config) {
  const totals = { sent: 0, deferred: 0, bounced: 0, expired: 0, rejected: 0 };
  const apart = { hops: 0, waits: 0, discarded: 0, probes: 0, notes: 0, notifications: 0 };
  /** Deliveries and expiries: {domain, outcome, notification}; their flow is decided at the end. */
  const events = [];
  const rejectedByDomain = new Map();
  const why = new Map();
  const learn = (domain, reason) => {
    if (domain !== '' && !why.has(domain)) why.set(domain, reason);
  };
  /** Every message life seen: its client, whether it authenticated, the domains it was for. */
  const allLives = [];
  const lives = new Map();
  let current = '';
  const explain = (what, domain) => {
    if (config.explain) process.stderr.write(`${what}\t${domain}\t${current}\n`);
  };
  const tally = (key, domain = '') => {
    apart[key]++;
    explain(key, domain);
  };

  const newLife = (key) => {
    const life = { ip: null, auth: false, notification: false, domains: new Set(), pending: new Map() };
    lives.set(key, life);
    allLives.push(life);
    return life;
  };
  const lifeOf = (key) => lives.get(key) ?? newLife(key);

  const delivery = (life, recipient, outcome) => {
    const domain = domainOf(recipient);
    life.domains.add(domain);
    life.pending.set(recipient, outcome === 'deferred');
    totals[outcome]++;
    explain(outcome, domain);
    events.push({ domain, outcome, notification: life.notification });
  };

  const expire = (life) => {
    totals.expired++;
    const left = [...life.pending].filter(([, pending]) => pending).map(([r]) => r);
    for (const r of left.length > 0 ? left : ['']) {
      explain('expired', domainOf(r));
      events.push({ domain: domainOf(r), outcome: 'expired', notification: life.notification });
    }
    for (const r of left) life.pending.set(r, false);
  };

  const reject = (recipient) => {
    totals.rejected++;
    const d = recipient ? domainOf(recipient) : '';
    explain('rejected', d);
    rejectedByDomain.set(d, (rejectedByDomain.get(d) ?? 0) + 1);
  };

  function postfix(host, program, message) {
    const daemon = program.slice(program.lastIndexOf('/') + 1);
    if (/^proxy-reject: /.test(message)) return reject(TRAILER_TO.exec(message)?.[1]);
    const colon = message.indexOf(': ');
    if (colon < 0) return;
    const id = message.slice(0, colon);
    const rest = message.slice(colon + 2);
    const queued = isPostfixQueueId(id);
    if (!queued && id !== 'NOQUEUE') return;
    if (POSTFIX_REJECT.test(rest)) return reject(TRAILER_TO.exec(rest)?.[1]);
    if (POSTFIX_NOTE.test(rest) || (queued && POSTFIX_WARN_ACTION.test(rest))) return tally('notes');
    if (POSTFIX_DISCARD.test(rest)) return tally('discarded');
    if (!queued) return;
    const key = `${host}\u0001${id}`;
    if (rest.startsWith('client=')) {
      const life = newLife(key);
      const m = /^client=[^[,]*\[([^\]]*)\]/.exec(rest);
      life.ip = m ? m[1] : null;
      life.auth = /, sasl_(?:username|method)=/.test(rest);
      return;
    }
    if (/^uid=\d+ from=</.test(rest)) return void newLife(key);
    if (rest === 'removed' || rest.startsWith('removed ')) return void lives.delete(key);
    const expired = /^from=<[^>]*>, status=(?:force-)?expired\b/.exec(rest);
    if (expired) return expire(lifeOf(key));
    const note = /^[\w -]* notification: ([0-9A-Za-z]+)$/.exec(rest);
    if (note && isPostfixQueueId(note[1])) {
      tally('notifications');
      lifeOf(`${host}\u0001${note[1]}`).notification = true;
      return;
    }
    const d = POSTFIX_DELIVERY.exec(rest);
    if (!d) return;
    const [, recipient, orig, relay, status, reply = ''] = d;
    if (status === 'deliverable' || status === 'undeliverable' || status === 'undeliverable-but-not-cached') {
      return tally('probes');
    }
    if (status !== 'sent' && status !== 'deferred' && status !== 'bounced') return;
    const life = lifeOf(key);
    if (orig) learn(domainOf(orig), `forwarded from ${orig}`);
    const r = relayParts(relay);
    if (status === 'sent' && daemon === 'discard') {
      tally('discarded');
      life.domains.add(domainOf(recipient));
      return;
    }
    if (status === 'sent' && r.loopback && /queued as [0-9A-Za-z]+/.test(reply)) {
      tally('hops');
      life.domains.add(domainOf(recipient));
      return;
    }
    if (
      status === 'sent' &&
      r.loopback &&
      /^\(?(?:\d{3}[ -](?:\d\.\d+\.\d+ )?)?ok,? discarded\b/i.test(reply)
    ) {
      tally('discarded');
      life.domains.add(domainOf(recipient));
      return;
    }
    if (status === 'deferred' && /^\(?delivery temporarily suspended\b/i.test(reply)) {
      tally('waits');
      life.domains.add(domainOf(recipient));
      // Still waiting: undelivered if the message expires.
      if (!life.pending.has(recipient)) life.pending.set(recipient, true);
      return;
    }
    if (status === 'sent' && (r.socket || daemon === 'local' || daemon === 'virtual' || daemon === 'lmtp')) {
      learn(domainOf(recipient), `delivered by ${daemon === 'smtp' ? 'a unix socket' : daemon}`);
    }
    delivery(life, recipient, status);
  }

  /**
   * The design's Exim recipient: the address right after the flag (a trailing ':' is not part of it);
   * for a pipe, a file or a bare local part, the first address in <...> before the fields. The
   * original of a forward is the <...> right after it (after a redirection's "(intermediate)").
   */
  function eximAddresses(rest) {
    const first = rest.slice(0, rest.indexOf(' ') < 0 ? rest.length : rest.indexOf(' '));
    const address = first.replace(/:$/, '');
    if (address.includes('@') && !/^[|/>]/.test(address)) {
      const original = /^\S+(?: \([^)]*\))? <([^>]*)>/.exec(rest);
      return { recipient: address.replace(/^<|>$/g, ''), original: original ? original[1] : null };
    }
    const fields = rest.search(/ [A-Z]{1,2}=/);
    const angle = / <([^>]*)>/.exec(fields < 0 ? rest : rest.slice(0, fields));
    return { recipient: angle ? angle[1] : address, original: null };
  }

  /**
   * Exim names the original after the final address when they differ at all, also only in the case of the
   * local part (bad_a <bad_A@x>): that is the same mailbox, not a forward.
   */
  function isForward(original, recipient) {
    return Boolean(original) && original.toLowerCase() !== recipient.toLowerCase();
  }

  /** An Exim reject: "rejected" is the verb of the line (at its start, or after the client's fields). */
  function eximReject(rest) {
    if (/^(?:temporarily )?rejected /.test(rest) || /: rejected connection from H=/.test(rest))
      return { recipient: null };
    const v = /^(.*?) (?:temporarily )?rejected (\S+)(.*)$/.exec(rest);
    if (!v || v[1].includes(': ') || !/^[HUF]=|\sH=/.test(v[1])) return null;
    const to = v[2] === 'RCPT' ? (/^ <([^>]*)>/.exec(v[3]) ?? /^ ([^ ]*?):?(?: |$)/.exec(v[3])) : null;
    return { recipient: to ? to[1] : null };
  }

  function exim(message) {
    const idm = /^(\S+) (.*)$/.exec(message);
    const id = idm && EXIM_ID.test(idm[1]) ? idm[1] : null;
    const rest = id ? idm[2] : message;
    const flag = rest.slice(0, 3);
    const flagLine = /^(?:<=|=>|->|>>|\*\*|==|\*>|\(=) $/.test(flag);
    if (!flagLine) {
      const r = eximReject(rest);
      if (r) return reject(r.recipient);
    }
    if (!id) return;
    const body = rest.slice(3);
    if (flag === '<= ') {
      const life = newLife(id);
      const m = /(?:^| )H=[^\s[]*(?: \([^)]*\))? ?\[([^\]]+)\]/.exec(body);
      life.ip = m ? m[1] : null;
      life.auth = / A=\S+/.test(body);
      if (/^<> /.test(body) && / R=\S+/.test(body)) {
        life.notification = true;
        tally('notifications');
      }
      return;
    }
    if (rest === 'Completed') return void lives.delete(id);
    const life = lifeOf(id);
    if (flag === '=> ' || flag === '-> ' || flag === '>> ') {
      if (/^(?::blackhole: |blackhole \(|discarded <)/.test(body)) {
        tally('discarded');
        const parent = /<([^>]*)>/.exec(body);
        if (parent && !body.startsWith('blackhole (')) life.domains.add(domainOf(parent[1]));
        return;
      }
      const { recipient, original } = eximAddresses(body);
      if (isForward(original, recipient)) learn(domainOf(original), `forwarded from ${original}`);
      const host = /(?:^| )H=(\S*)(?: \([^)]*\))? ?\[([^\]]+)\]/.exec(body);
      const confirm = / C="([^"]*)/.exec(body);
      const next = confirm && (/queued as [0-9A-Za-z]+/.test(confirm[1]) || EXIM_ID_IN_TEXT.test(confirm[1]));
      if (host && next && (isLoopbackIp(host[2]) || host[1].toLowerCase() === 'localhost')) {
        tally('hops');
        life.domains.add(domainOf(recipient));
        return;
      }
      if (!/ H=/.test(body) && / T=/.test(body)) learn(domainOf(recipient), 'delivered by a local transport');
      return delivery(life, recipient, 'sent');
    }
    if (flag === '** ' || flag === '== ') {
      const { recipient, original } = eximAddresses(body);
      if (isForward(original, recipient)) learn(domainOf(original), `forwarded from ${original}`);
      if (flag === '== ' && /defer \(-?\d+\): retry time not (?:yet )?reached/i.test(body)) {
        tally('waits');
        life.domains.add(domainOf(recipient));
        return;
      }
      return delivery(life, recipient, flag === '** ' ? 'bounced' : 'deferred');
    }
  }

  function line(raw) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    current = text;
    const main = MAINLOG.exec(text);
    // "2026-11-28 10:00:00 host prog[pid]: ..." is syslog with a numeric date, not an Exim main log.
    if (main && !/^\S+ [^\s[\]:]+\[\d+\]:\s/.test(main[1])) return exim(main[1]);
    const s = SYSLOG.exec(text);
    if (!s) return;
    const [, host, program, message] = s;
    if (program.startsWith('exim')) {
      // Exim writes its own time stamp into syslog too (syslog_timestamp).
      const own = MAINLOG.exec(message);
      return exim(own ? own[1] : message);
    }
    if (program.startsWith('postfix') || program.includes('/')) postfix(host, program, message);
  }

  function result() {
    for (const d of config.own) why.set(d, 'named in the config');
    // Mail accepted from outside clients that are not relay clients: 3 distinct IPs make a domain ours.
    const byIp = new Map();
    for (const life of allLives) {
      if (life.notification || !life.ip || !isOutside(life.ip)) continue;
      const c = byIp.get(life.ip) ?? { auth: false, domains: new Set() };
      c.auth ||= life.auth;
      for (const d of life.domains) c.domains.add(d);
      byIp.set(life.ip, c);
    }
    const ipsFor = new Map();
    for (const [ip, c] of byIp) {
      if (c.auth || c.domains.size >= 10) continue;
      for (const d of c.domains) ipsFor.set(d, (ipsFor.get(d) ?? new Set()).add(ip));
    }
    for (const [d, ips] of ipsFor) if (ips.size >= 3) learn(d, `accepted from ${ips.size} outside clients`);
    for (const d of config.notOwn) why.delete(d);
    const own = (d) => why.has(d);

    const flow = () => ({ sent: 0, deferred: 0, bounced: 0, expired: 0 });
    const flows = { outbound: flow(), inbound: flow(), ...apart };
    const notificationDeliveries = flow();
    const domains = new Map();
    const row = (d) => {
      let r = domains.get(d);
      if (!r) {
        r = {
          domain: d,
          direction: own(d) ? 'inbound' : 'outbound',
          sent: 0,
          deferred: 0,
          bounced: 0,
          expired: 0,
          rejected: 0,
        };
        domains.set(d, r);
      }
      return r;
    };
    for (const e of events) {
      row(e.domain)[e.outcome]++;
      if (e.notification) notificationDeliveries[e.outcome]++;
      else flows[own(e.domain) ? 'inbound' : 'outbound'][e.outcome]++;
    }
    for (const [d, n] of rejectedByDomain) row(d).rejected += n;
    return {
      totals,
      flows,
      notificationDeliveries,
      ownDomains: [...why]
        .map(([domain, reason]) => ({ domain, why: reason }))
        .sort((a, b) => a.domain.localeCompare(b.domain)),
      domains: [...domains.values()].sort((a, b) => a.domain.localeCompare(b.domain)),
    };
  }

  return { line, result };
}

const { own, notOwn, explain, files } = parseArgs(process.argv.slice(2));
const counter = createCounter({ own, notOwn, explain });
for (const file of files) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    process.stderr.write(`count-raw: cannot read ${file}: ${err.message}\n`);
    process.exit(1);
  }
  // UTF-8, as the product reads logs: a domain in another script is the same text on both sides.
  const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  for (const l of text.split('\n')) if (l !== '') counter.line(l);
}
process.stdout.write(`${JSON.stringify(counter.result(), null, 2)}\n`);
