import { describe, expect, it } from 'vitest';
import { classifyInbound, INBOUND_CAUSE_INFO } from '../../../classify/index.js';
import { INBOUND_CAUSES } from '../../../classify/types.js';

// Rejects this server issues, in Postfix's and Exim's shapes (our own examples, documentation addresses).
const CASES: readonly { text: string; program?: string; cause: string }[] = [
  {
    cause: 'client-blocklisted',
    text: '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.7',
  },
  {
    cause: 'client-blocklisted',
    text: '550 5.7.1 Service unavailable; client [192.0.2.8] blocked using bl.spamcop.net',
    program: 'postscreen',
  },
  {
    cause: 'client-blocklisted',
    text: 'rejected RCPT <a@example.org>: JunkMail rejected - 192.0.2.9 is listed at b.barracudacentral.org',
  },
  {
    cause: 'client-reverse-dns',
    text: '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.10]',
  },
  {
    cause: 'client-reverse-dns',
    text: '504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname',
  },
  { cause: 'client-reverse-dns', text: '550 5.7.1 <bogus>: Helo command rejected: Host not found' },
  {
    cause: 'sender-refused',
    text: '450 4.1.8 <x@nonexistent.example>: Sender address rejected: Domain not found',
  },
  { cause: 'sender-refused', text: 'rejected RCPT <a@example.org>: Sender verify failed' },
  {
    cause: 'sender-refused',
    text: 'rejected RCPT <a@example.org>: Previous (cached) callout verification failure',
  },
  { cause: 'sender-refused', text: 'rejected MAIL <spoof@example.org>: sender domain not accepted' },
  {
    cause: 'recipient-unknown-here',
    text: '550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table',
  },
  { cause: 'recipient-unknown-here', text: 'rejected RCPT <nobody@example.org>: Unknown user' },
  {
    cause: 'recipient-unknown-here',
    text: '550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
  },
  { cause: 'relay-attempt', text: '554 5.7.1 <a@example.net>: Relay access denied' },
  { cause: 'relay-attempt', text: 'rejected RCPT <a@example.net>: relay not permitted' },
  {
    cause: 'greylisting',
    text: '450 4.2.0 <a@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html',
  },
  { cause: 'greylisting', text: 'temporarily rejected RCPT <a@example.org>: greylisted' },
  { cause: 'protocol', text: '550 5.5.1 Protocol error', program: 'postscreen' },
  { cause: 'protocol', text: '503 5.5.1 Error: need RCPT command' },
  {
    cause: 'protocol',
    text: 'SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection',
  },
  {
    cause: 'protocol',
    text: 'PREGREET 11 after 0.02 from [192.0.2.11]:4321: EHLO example\\r\\n',
    program: 'postscreen',
  },
  { cause: 'content', text: 'milter-reject: END-OF-MESSAGE from x[192.0.2.12]: 5.7.1 Spam message rejected' },
  {
    cause: 'content',
    text: 'reject: header Subject: Cheap meds from x[192.0.2.13]; from=<a@example.net>: 5.7.1 message content rejected',
  },
  { cause: 'content', text: 'rejected after DATA: Your message scored 15.2 SpamAssassin points' },
  { cause: 'content', text: 'rejected by local_scan(): message contains a banned attachment' },
  { cause: 'policy-here', text: '554 5.7.1 <x@example.net>: Client host rejected: Access denied' },
  {
    cause: 'policy-here',
    text: '550 5.7.1 <a@example.org>: Recipient address rejected: Message rejected due to: SPF fail',
  },
  { cause: 'policy-here', text: '552 5.3.4 Message size exceeds fixed limit' },
  { cause: 'rate-here', text: '421 4.7.0 mx.example.org Error: too many connections from 192.0.2.14' },
  { cause: 'rate-here', text: '452 4.5.3 Error: too many recipients' },
  { cause: 'rate-here', text: '421 4.7.0 mx.example.org Error: too many errors' },
  { cause: 'other-inbound', text: '550 5.0.0 Go away' },
];

describe('classifyInbound', () => {
  for (const c of CASES) {
    it(`${c.cause}: ${c.text.slice(0, 80)}`, () => {
      const got = classifyInbound({ diagnostic: c.text, program: c.program ?? null });
      expect(got.cause).toBe(c.cause);
      expect(got.action).toBe(
        c.cause === 'client-blocklisted' && got.blocklist !== null
          ? INBOUND_CAUSE_INFO[got.cause].action.replace('that list', got.blocklist)
          : INBOUND_CAUSE_INFO[got.cause].action,
      );
    });
  }

  it('covers every inbound cause with at least two shapes', () => {
    for (const cause of INBOUND_CAUSES)
      expect(CASES.filter((c) => c.cause === cause).length, cause).toBeGreaterThanOrEqual(
        cause === 'other-inbound' ? 1 : 2,
      );
  });

  it('speaks to the receiving side, never with sender-side advice', () => {
    expect(INBOUND_CAUSE_INFO['client-blocklisted'].action).toMatch(
      /Normal spam defence; check that none of these is a correspondent you want/,
    );
    expect(INBOUND_CAUSE_INFO.greylisting.action).toMatch(/A greylist delay, nothing to do/);
    expect(classifyInbound({ diagnostic: CASES[0]!.text }).action).toMatch(
      /A false positive from zen\.spamhaus\.org\? Whitelist the client/,
    );
    for (const cause of INBOUND_CAUSES) {
      const a = INBOUND_CAUSE_INFO[cause].action;
      expect(a, cause).not.toMatch(/delist|your sending IP|request removal|suppress/i);
    }
  });

  it('takes the class from the code, and a reject without code as permanent', () => {
    expect(
      classifyInbound({ diagnostic: '450 4.7.1 Client host rejected: cannot find your hostname' }).class,
    ).toBe('temporary');
    expect(classifyInbound({ diagnostic: 'rejected RCPT <a@example.org>: relay not permitted' }).class).toBe(
      'permanent',
    );
  });
});
