// A message relayed across the fleet counts once, at its final outcome: the MX's delivery to the internal
// mailstore and the submission server's delivery to the outbound relay are hops, joined to the next host's life
// by its `queued as` id and Message-ID.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describePg } from '../../helpers/pg-context.js';
import { ensureBuilt, runCli } from '../../helpers/cli.js';

/** The MX: one message for a user of ours handed to the mailstore, one forwarded outside (a real delivery). */
const MX = [
  'Nov 28 10:00:00 mx1 postfix/smtpd[100]: 3F1A2B3C4D: client=mail.sender.example.net[198.51.100.7]',
  'Nov 28 10:00:00 mx1 postfix/cleanup[101]: 3F1A2B3C4D: message-id=<m1@sender.example.net>',
  'Nov 28 10:00:00 mx1 postfix/qmgr[102]: 3F1A2B3C4D: from=<alice@sender.example.net>, size=2048, nrcpt=1 (queue active)',
  'Nov 28 10:00:01 mx1 postfix/smtp[103]: 3F1A2B3C4D: to=<bob@example.org>, relay=store1.example.org[10.0.0.5]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7C8D9E0F1A)',
  'Nov 28 10:00:01 mx1 postfix/qmgr[102]: 3F1A2B3C4D: removed',
  'Nov 28 10:05:00 mx1 postfix/smtpd[100]: 4A1A2B3C4D: client=mail.sender.example.net[198.51.100.7]',
  'Nov 28 10:05:00 mx1 postfix/cleanup[101]: 4A1A2B3C4D: message-id=<m2@sender.example.net>',
  'Nov 28 10:05:00 mx1 postfix/qmgr[102]: 4A1A2B3C4D: from=<alice@sender.example.net>, size=2048, nrcpt=1 (queue active)',
  'Nov 28 10:05:02 mx1 postfix/smtp[103]: 4A1A2B3C4D: to=<carol@elsewhere.example.com>, orig_to=<carol@example.org>, relay=mx.elsewhere.example.com[203.0.113.9]:25, delay=2, delays=0.1/0/1/0.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9B8A7C6D5E)',
  'Nov 28 10:05:02 mx1 postfix/qmgr[102]: 4A1A2B3C4D: removed',
];

/** The mailstore: the MX's message delivered to the mailbox; the same queue id as the forward's, another message. */
const STORE = [
  'Nov 28 10:00:01 store1 postfix/smtpd[200]: 7C8D9E0F1A: client=mx1.example.org[10.0.0.2]',
  'Nov 28 10:00:01 store1 postfix/cleanup[201]: 7C8D9E0F1A: message-id=<m1@sender.example.net>',
  'Nov 28 10:00:01 store1 postfix/qmgr[202]: 7C8D9E0F1A: from=<alice@sender.example.net>, size=2300, nrcpt=1 (queue active)',
  'Nov 28 10:00:02 store1 postfix/lmtp[203]: 7C8D9E0F1A: to=<bob@example.org>, relay=store1.example.org[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <bob@example.org> Saved)',
  'Nov 28 10:00:02 store1 postfix/qmgr[202]: 7C8D9E0F1A: removed',
  'Nov 28 10:05:03 store1 postfix/smtpd[200]: 9B8A7C6D5E: client=mx1.example.org[10.0.0.2]',
  'Nov 28 10:05:03 store1 postfix/cleanup[201]: 9B8A7C6D5E: message-id=<other@example.org>',
  'Nov 28 10:05:03 store1 postfix/qmgr[202]: 9B8A7C6D5E: from=<dave@example.org>, size=900, nrcpt=1 (queue active)',
  'Nov 28 10:05:04 store1 postfix/lmtp[203]: 9B8A7C6D5E: to=<dave@example.org>, relay=store1.example.org[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <dave@example.org> Saved)',
  'Nov 28 10:05:04 store1 postfix/qmgr[202]: 9B8A7C6D5E: removed',
];

/** The submission server hands a message to the outbound relay, which bounces it. */
const SUBMIT = [
  'Nov 28 11:00:00 submit1 postfix/submission/smtpd[300]: 1C2D3E4F5A: client=laptop.example.org[192.0.2.44], sasl_method=PLAIN, sasl_username=erin',
  'Nov 28 11:00:00 submit1 postfix/cleanup[301]: 1C2D3E4F5A: message-id=<s1@example.org>',
  'Nov 28 11:00:00 submit1 postfix/qmgr[302]: 1C2D3E4F5A: from=<erin@example.org>, size=4096, nrcpt=1 (queue active)',
  'Nov 28 11:00:01 submit1 postfix/smtp[303]: 1C2D3E4F5A: to=<frank@faraway.example.net>, relay=relay1.example.org[10.0.0.9]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 2D3E4F5A6B)',
  'Nov 28 11:00:01 submit1 postfix/qmgr[302]: 1C2D3E4F5A: removed',
];
const RELAY = [
  'Nov 28 11:00:01 relay1 postfix/smtpd[400]: 2D3E4F5A6B: client=submit1.example.org[10.0.0.8]',
  'Nov 28 11:00:01 relay1 postfix/cleanup[401]: 2D3E4F5A6B: message-id=<s1@example.org>',
  'Nov 28 11:00:01 relay1 postfix/qmgr[402]: 2D3E4F5A6B: from=<erin@example.org>, size=4300, nrcpt=1 (queue active)',
  'Nov 28 11:00:03 relay1 postfix/smtp[403]: 2D3E4F5A6B: to=<frank@faraway.example.net>, relay=mx.faraway.example.net[203.0.113.20]:25, delay=2, delays=0.1/0/1/0.9, dsn=5.1.1, status=bounced (host mx.faraway.example.net[203.0.113.20] said: 550 5.1.1 <frank@faraway.example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command))',
  'Nov 28 11:00:03 relay1 postfix/qmgr[402]: 2D3E4F5A6B: removed',
];

const HOSTS = [
  ['mx1.example.org', MX],
  ['store1.example.org', STORE],
  ['submit1.example.org', SUBMIT],
  ['relay1.example.org', RELAY],
] as const;

/** Per host: [sent, bounced] in the fleet's report. */
const ONCE = {
  // The forward outside is a delivery; the hand-over to the mailstore is not, whatever its queue id says.
  'mx1.example.org': [1, 0],
  'store1.example.org': [2, 0],
  // The submission server only handed over: it delivered nothing itself (its hop is counted apart).
  'relay1.example.org': [0, 1],
};

function fleet(url: () => string) {
  const dir = mkdtempSync(join(tmpdir(), 'bw-handover-'));
  for (const [host, lines] of HOSTS) writeFileSync(join(dir, `${host}.log`), `${lines.join('\n')}\n`);
  return {
    dir,
    ingest(host: string) {
      const r = runCli([
        'ingest',
        '--store',
        url(),
        '--host-id',
        host,
        '--year',
        '2026',
        join(dir, `${host}.log`),
      ]);
      expect(r.code, r.stderr).toBe(0);
      return r.stderr;
    },
    perHost() {
      const r = runCli(['report', '--store', url(), '--all', '--format', 'json', '--tz', 'UTC']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { hosts: { host: string; sent: number; bounced: number }[] };
      return Object.fromEntries(report.hosts.map((h) => [h.host, [h.sent, h.bounced]]));
    },
  };
}

describePg('hand-overs between hosts of a fleet, next hosts stored first', (url) => {
  let f: ReturnType<typeof fleet>;
  beforeAll(() => {
    ensureBuilt();
    f = fleet(url);
  });
  afterAll(() => rmSync(f.dir, { recursive: true, force: true }));

  it('counts a message relayed across the fleet once, at its final outcome', () => {
    for (const host of ['store1.example.org', 'relay1.example.org', 'mx1.example.org', 'submit1.example.org'])
      f.ingest(host);
    expect(f.perHost()).toEqual(ONCE);
  }, 120_000);
});

describePg('hand-overs between hosts of a fleet, sending hosts stored first', (url) => {
  let f: ReturnType<typeof fleet>;
  beforeAll(() => {
    ensureBuilt();
    f = fleet(url);
  });
  afterAll(() => rmSync(f.dir, { recursive: true, force: true }));

  it('joins them when the sending host looks again, and only once however often it looks', () => {
    for (const host of ['mx1.example.org', 'submit1.example.org', 'store1.example.org', 'relay1.example.org'])
      f.ingest(host);
    // Nothing was there to join yet: each host counts what it did.
    expect(f.perHost()).toEqual({ ...ONCE, 'mx1.example.org': [2, 0], 'submit1.example.org': [1, 0] });
    // Importing a sending host's history again reads nothing twice, and joins what it handed over.
    for (let i = 0; i < 2; i++) {
      f.ingest('mx1.example.org');
      f.ingest('submit1.example.org');
      expect(f.perHost()).toEqual(ONCE);
    }
  }, 180_000);
});
