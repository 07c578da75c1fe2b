import { describe, expect, it } from 'vitest';
import {
  classify,
  extractEnhancedStatus,
  extractReplyCode,
  extractSpecificStatus,
  extractStage,
  findBlocklist,
  providerFromDomain,
  providerFromHost,
  providerHelp,
} from '../../../classify/index.js';

describe('class', () => {
  it('comes from the enhanced status first', () => {
    expect(classify({ replyCode: 550, enhancedStatus: '4.7.1', diagnostic: 'try later' }).class).toBe(
      'temporary',
    );
    expect(classify({ diagnostic: '450 5.1.1 user unknown' }).class).toBe('permanent');
  });

  it('falls back to the basic code, then to the outcome', () => {
    expect(classify({ replyCode: 451, diagnostic: 'Temporary local problem' }).class).toBe('temporary');
    expect(
      classify({
        diagnostic: 'connect to mx.example.com[192.0.2.1]:25: Connection refused',
        outcome: 'deferred',
      }).class,
    ).toBe('temporary');
    expect(classify({ outcome: 'expired' }).class).toBe('temporary');
    expect(classify({ outcome: 'bounced', diagnostic: 'unknown user' }).class).toBe('permanent');
    expect(classify({ outcome: 'sent', diagnostic: '250 2.0.0 Ok: queued as 4Xk2' }).class).toBe('success');
  });

  it('reads the first digit of the reply in the text', () => {
    expect(
      classify({ diagnostic: 'host mx.example.net[192.0.2.3] said: 452 Insufficient system storage' }).class,
    ).toBe('temporary');
  });

  it('uses the dsn when neither the input nor the text carries an enhanced status', () => {
    const c = classify({
      dsn: '4.4.1',
      diagnostic: 'connect to mx.example.org[192.0.2.8]:25: Connection timed out',
    });
    expect(c.class).toBe('temporary');
    expect(c.enhancedStatus).toBe('4.4.1');
  });

  it('flags disagreement between the enhanced status, the reply code and the outcome', () => {
    const c = classify({ replyCode: 450, enhancedStatus: '5.7.1', diagnostic: 'Access denied' });
    expect(c.class).toBe('permanent');
    expect(c.conflict).toMatch(
      /Class permanent from the enhanced status 5\.7\.1, although reply 450 says temporary/,
    );
    expect(c.conflict).toBe(c.reason);
    expect(classify({ replyCode: 550, enhancedStatus: '5.1.1', outcome: 'deferred' }).conflict).toMatch(
      /deferred/,
    );
    expect(classify({ replyCode: 550, enhancedStatus: '5.1.1', outcome: 'bounced' }).conflict).toBeNull();
  });

  it('says success with no cause and no hard bounce', () => {
    const c = classify({ replyCode: 250, diagnostic: '250 2.0.0 OK 1700000000 x1-20020a - gsmtp' });
    expect(c).toMatchObject({ class: 'success', cause: null, hardBounce: false, provider: 'google' });
  });
});

describe('stage', () => {
  it('turns user unknown after DATA into a recipient-side filter', () => {
    expect(classify({ diagnostic: '550 5.1.1 User unknown', stage: 'rcpt' }).cause).toBe('recipient-unknown');
    expect(classify({ diagnostic: '550 5.1.1 User unknown', stage: 'end-of-data' }).cause).toBe(
      'recipient-filtered',
    );
    expect(
      classify({ diagnostic: 'SMTP error from remote mail server after end of data: 550 User unknown' })
        .cause,
    ).toBe('recipient-filtered');
  });

  it('points refusals at connect to our IP and at HELO to our name', () => {
    expect(classify({ diagnostic: '554 Access denied', stage: 'connect' }).cause).toBe(
      'reputation-blocklist',
    );
    expect(classify({ diagnostic: '550 Access denied', stage: 'helo' }).cause).toBe('reverse-dns');
    expect(
      classify({ diagnostic: 'host mx.example.com[192.0.2.1] refused to talk to me: 554 5.7.1 Go away' })
        .cause,
    ).toBe('reputation-blocklist');
    expect(classify({ diagnostic: '554 5.7.1 Go away', stage: 'rcpt' }).cause).toBe('policy');
  });

  it('treats a non-existent domain at MAIL FROM as our sender problem', () => {
    expect(classify({ diagnostic: '553 5.1.2 Domain not found', stage: 'mail' }).cause).toBe(
      'sender-rejected',
    );
  });
});

describe('hard bounce', () => {
  it('is set for unknown recipients and permanently invalid domains only', () => {
    expect(classify({ diagnostic: '550 5.1.1 No such user' }).hardBounce).toBe(true);
    expect(classify({ diagnostic: '550 5.1.2 Host unknown' }).hardBounce).toBe(true);
    expect(
      classify({ diagnostic: 'Host or domain name not found. Name service error: Host not found, try again' })
        .hardBounce,
    ).toBe(false);
    expect(classify({ diagnostic: '554 5.7.1 blocked using zen.spamhaus.org' }).hardBounce).toBe(false);
    expect(classify({ diagnostic: '552 5.2.2 Mailbox full' }).hardBounce).toBe(false);
  });
});

describe('provider', () => {
  it('comes from the remote host name', () => {
    expect(providerFromHost('gmail-smtp-in.l.google.com')).toBe('google');
    expect(providerFromHost('example-com.mail.protection.outlook.com')).toBe('microsoft');
    expect(providerFromHost('mta6.am0.yahoodns.net')).toBe('yahoo');
    expect(providerFromHost('mx-aol.mail.gm0.yahoodns.net')).toBe('yahoo');
    expect(providerFromHost('mx01.mail.icloud.com')).toBe('apple');
    expect(providerFromHost('mx00.emig.gmx.net')).toBe('united-internet');
    expect(providerFromHost('mx-ha03.web.de')).toBe('united-internet');
    expect(providerFromHost('smtp-in.orange.fr')).toBe('orange');
    expect(providerFromHost('mx1.comcast.net')).toBe('comcast');
    expect(providerFromHost('eu-smtp-inbound-1.mimecast.com')).toBe('mimecast');
    expect(providerFromHost('mx0a-00123456.pphosted.com')).toBe('proofpoint');
    expect(providerFromHost('d123456a.ess.barracudanetworks.com')).toBe('barracuda');
    expect(providerFromHost('route1.mx.cloudflare.net')).toBe('cloudflare');
    expect(providerFromHost('mx.zoho.eu')).toBe('zoho');
    expect(providerFromHost('in1-smtp.messagingengine.com')).toBe('fastmail');
    expect(providerFromHost('mx.yandex.net')).toBe('yandex');
    expect(providerFromHost('mxs.mail.ru')).toBe('mailru');
    expect(providerFromHost('mx.example.com')).toBeNull();
    expect(providerFromHost('notgoogle.com')).toBeNull();
  });

  it('falls back to well-known recipient domains', () => {
    expect(providerFromDomain('gmail.com')).toBe('google');
    expect(providerFromDomain('Hotmail.com')).toBe('microsoft');
    expect(providerFromDomain('aol.com')).toBe('yahoo');
    expect(classify({ diagnostic: '550 5.1.1 unknown', recipientDomain: 'web.de' }).provider).toBe(
      'united-internet',
    );
  });

  it('recognises the provider from its wording when the host is unknown', () => {
    expect(
      classify({ diagnostic: '550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si1 - gsmtp' })
        .provider,
    ).toBe('google');
    expect(
      classify({ diagnostic: '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred' }).provider,
    ).toBe('yahoo');
    expect(
      classify({ diagnostic: 'host mx1.hotmail.com [192.0.2.1]: 550 5.5.0 mailbox unavailable' }).provider,
    ).toBe('microsoft');
    expect(classify({ diagnostic: '550 5.1.1 <someone@gmail.com>: user unknown' }).provider).toBeNull();
  });
});

describe('blocklist', () => {
  it('names the list the text names', () => {
    expect(findBlocklist('Client host [192.0.2.1] blocked using zen.spamhaus.org')).toBe('zen.spamhaus.org');
    expect(findBlocklist('blocked using sbl.spamhaus.org')).toBe('sbl.spamhaus.org');
    expect(findBlocklist('listed in xbl.spamhaus.org')).toBe('xbl.spamhaus.org');
    expect(findBlocklist('see https://www.spamhaus.org/query/ip/192.0.2.1 (PBL)')).toBe('spamhaus');
    expect(findBlocklist('rejected by b.barracudacentral.org')).toBe('b.barracudacentral.org');
    expect(findBlocklist('Blocked - see http://www.spamcop.net/bl.shtml?192.0.2.1')).toBe('bl.spamcop.net');
    expect(findBlocklist('listed at dnsbl.sorbs.net')).toBe('sorbs');
    expect(findBlocklist('IP listed on dnsbl-1.uceprotect.net')).toBe('uceprotect');
    expect(findBlocklist('blocked by noptr.spamrats.com')).toBe('spamrats');
    expect(findBlocklist('listed in bl.mailspike.net')).toBe('bl.mailspike.net');
    expect(findBlocklist('part of their network is on our block list (S3150)')).toBe('Microsoft (S3150)');
    expect(findBlocklist('on our block list (S3140)')).toBe('Microsoft (S3140)');
    expect(findBlocklist('Client host rejected: blocked using bl.example-rbl.org')).toBe(
      'bl.example-rbl.org',
    );
    expect(findBlocklist('550 5.1.1 User unknown')).toBeNull();
  });
});

describe('extraction from text', () => {
  it('finds the reply code and enhanced status', () => {
    expect(extractReplyCode('550 5.1.1 <a@example.com>: user unknown')).toBe(550);
    expect(
      extractReplyCode(
        'host mx.example.com[192.0.2.1] said: 452 4.2.2 Over quota (in reply to RCPT TO command)',
      ),
    ).toBe(452);
    expect(
      extractReplyCode('Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>'),
    ).toBe(421);
    expect(extractReplyCode('connect to 192.0.2.250[192.0.2.250]:25: Connection refused')).toBeNull();
    expect(extractEnhancedStatus('550 #5.1.0 Address rejected')).toBe('5.1.0');
    expect(extractEnhancedStatus('connect to 10.4.5.6:25 refused')).toBeNull();
    expect(extractSpecificStatus('550 5.0.0 <x>... 550 5.1.1 User unknown')).toBe('5.1.1');
    expect(extractSpecificStatus('550 5.7.606 Access denied')).toBe('5.7.606');
  });

  it('finds the stage', () => {
    expect(
      extractStage('SMTP error from remote mail server after RCPT TO:<a@example.com>: 550 unknown'),
    ).toBe('rcpt');
    expect(extractStage('(in reply to end of DATA command)')).toBe('end-of-data');
    expect(extractStage('after MAIL FROM:<a@example.com> SIZE=1234: 550 sender rejected')).toBe('mail');
    expect(extractStage('Connected to 192.0.2.1 but my name was rejected.')).toBe('helo');
    expect(extractStage('SMTP error from remote mail server after initial connection: 554 go away')).toBe(
      'connect',
    );
    expect(extractStage('550 5.1.1 unknown')).toBeNull();
  });
});

describe('actions', () => {
  it('sharpens the action by provider code', () => {
    expect(
      classify({ diagnostic: '550 5.7.606 Access denied, banned sending IP [192.0.2.1]' }).action,
    ).toMatch(/sender\.office\.com/);
    expect(
      classify({
        diagnostic: '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume',
        remoteHost: 'mta5.am0.yahoodns.net',
      }).action,
    ).toMatch(/senders\.yahooinc\.com/);
    expect(
      classify({
        diagnostic: '550-5.7.26 This mail has been blocked because the sender is unauthenticated. - gsmtp',
        remoteHost: 'aspmx.l.google.com',
      }).action,
    ).toMatch(/support\.google\.com/);
  });

  it('names the blocklist and its lookup page', () => {
    expect(
      classify({ diagnostic: '554 5.7.1 Client host rejected: blocked using bl.spamcop.net' }).action,
    ).toMatch(/spamcop/i);
  });

  it('leads with the code-specific step when the enhanced status is precise', () => {
    expect(classify({ diagnostic: '452 4.5.3 Too many recipients' }).action).toMatch(/fewer recipients/);
  });
});

describe('inbound rejects', () => {
  it('speaks as the receiver, names no provider and flags no hard bounce', () => {
    const c = classify({
      direction: 'inbound',
      diagnostic: '554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org',
      stage: 'rcpt',
      recipientDomain: 'gmail.com',
    });
    expect(c).toMatchObject({ cause: 'reputation-blocklist', provider: null, blocklist: 'zen.spamhaus.org' });
    expect(c.action).toMatch(/client is listed on zen\.spamhaus\.org/);
    const u = classify({
      direction: 'inbound',
      diagnostic:
        '550 5.1.1 <x@example.com>: Recipient address rejected: User unknown in local recipient table',
    });
    expect(u).toMatchObject({ cause: 'recipient-unknown', hardBounce: false });
    expect(u.action).toMatch(/does not exist here/);
  });
});

describe('class and reason', () => {
  it('leaves the class open for text with no code, no outcome and no known meaning', () => {
    for (const text of ['hello', 'thanks for your message', '']) {
      const c = classify({ diagnostic: text });
      expect(c).toMatchObject({ class: null, cause: 'unclassified', hardBounce: false });
      expect(c.reason).toMatch(/No code, outcome or known wording/);
    }
    // A code, an outcome or a known meaning each close it.
    expect(classify({ diagnostic: 'hello', replyCode: 550 }).class).toBe('permanent');
    expect(classify({ diagnostic: 'hello', outcome: 'deferred' }).class).toBe('temporary');
    expect(classify({ diagnostic: 'mailbox full' }).class).toBe('permanent');
    expect(classify({ diagnostic: 'hello', direction: 'inbound' }).class).toBe('permanent');
  });

  it('says when the text outweighs a specific code, and the conflict note carries the same reason', () => {
    const c = classify({ diagnostic: '552 5.2.2 Message rejected for policy reasons' });
    expect(c.cause).toBe('policy');
    expect(c.reason).toMatch(/outweighs the enhanced status 5\.2\.2/);
    expect(c.conflict).toBe(c.reason);
    // A loose code (5.7.1) is refined by the text, not contradicted.
    const refined = classify({ diagnostic: '550 5.7.1 Mailbox full' });
    expect(refined.cause).toBe('mailbox-full');
    expect(refined.conflict).toBeNull();
  });

  it('decides 4.0.0 beside a 550 by the enhanced status, and says why', () => {
    const c = classify({ replyCode: 550, enhancedStatus: '4.0.0', diagnostic: 'try again later' });
    expect(c.class).toBe('temporary');
    expect(c.reason).toMatch(
      /Class temporary from the enhanced status 4\.0\.0, although reply 550 says permanent/,
    );
    expect(c.conflict).toBe(c.reason);
  });

  it('never promises a retry for a permanent failure', () => {
    const c = classify({
      diagnostic: 'connect to mx.example.com[192.0.2.1]:25: Connection timed out',
      outcome: 'bounced',
    });
    expect(c.class).toBe('permanent');
    expect(c.action).not.toMatch(/retries/);
    const t = classify({
      diagnostic: 'connect to mx.example.com[192.0.2.1]:25: Connection timed out',
      outcome: 'deferred',
    });
    expect(t.action).toMatch(/retries it by itself/);
  });
});

describe('provider help links', () => {
  it('match the cause: no sender-guideline page for a full Gmail mailbox', () => {
    const full = classify({
      diagnostic: '552-5.2.2 The email account that you tried to reach is over quota.',
      remoteHost: 'gmail-smtp-in.l.google.com',
    });
    expect(full.cause).toBe('mailbox-full');
    expect(full.action).not.toMatch(/answer\/81126/);
    expect(providerHelp('google', 'mailbox-full')).toBe('https://support.google.com/a/answer/3726730');
    expect(providerHelp('google', 'authentication')).toBe('https://support.google.com/mail/answer/81126');
    expect(providerHelp('microsoft', 'reputation-blocklist')).toBe('https://sender.office.com/');
    expect(providerHelp('google', 'greylisted')).toBeNull();
    expect(providerHelp(null, 'policy')).toBeNull();
  });
});
