import { describe, expect, it } from 'vitest';
import { extractReply, splitCodes } from '../../../parsers/index.js';

describe('extractReply', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      'host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@b> User unknown (in reply to RCPT TO command)',
      {
        stage: 'rcpt',
        replyCode: 550,
        enhancedStatus: '5.1.1',
        remoteHost: 'mx.example.com',
        remoteIp: '192.0.2.1',
        diagnostic: '550 5.1.1 <a@b> User unknown',
      },
    ],
    [
      'host m[192.0.2.1] said: 451 Temporary internal failure (in reply to DATA command)',
      { stage: 'data', replyCode: 451, enhancedStatus: null },
    ],
    [
      'host m[192.0.2.1] said: 550 #5.1.0 Address rejected (in reply to MAIL FROM command)',
      { stage: 'mail', enhancedStatus: '5.1.0' },
    ],
    [
      'host m[192.0.2.1] refused to talk to me: 554 5.7.1 go away',
      { stage: 'connect', replyCode: 554, remoteIp: '192.0.2.1' },
    ],
    [
      'delivery temporarily suspended: host m[192.0.2.1] refused to talk to me: 421 busy',
      { stage: 'connect', replyCode: 421, remoteHost: 'm' },
    ],
    [
      'conversation with m[192.0.2.1] timed out while receiving the initial server greeting',
      { stage: 'connect', replyCode: null, remoteHost: 'm' },
    ],
    ['lost connection with m[192.0.2.1] while performing the EHLO handshake', { stage: 'helo' }],
    ['lost connection with m[192.0.2.1] while sending message body', { stage: 'data' }],
    [
      'lost connection with m[192.0.2.1] while sending end of data -- message may be sent more than once',
      { stage: 'end-of-data' },
    ],
    ['connect to m[2001:db8::1]:25: Connection refused', { stage: 'connect', remoteIp: '2001:db8::1' }],
    [
      'SMTP error from remote mail server after pipelined MAIL FROM:<s@x> SIZE=1: 552 5.3.4 too big',
      { stage: 'mail', replyCode: 552, enhancedStatus: '5.3.4', diagnostic: '552 5.3.4 too big' },
    ],
    [
      'SMTP error from remote mail server after end of data: 550 5.7.1 spam',
      { stage: 'end-of-data', replyCode: 550 },
    ],
    [
      'SMTP error from remote mail server after initial connection: 554 no',
      { stage: 'connect', replyCode: 554 },
    ],
    ['SMTP error from remote mail server after EHLO me.example: 501 bad', { stage: 'helo', replyCode: 501 }],
    [
      'Host or domain name not found. Name service error for name=x.example type=MX: Host not found, try again',
      { stage: null, replyCode: null, remoteHost: null },
    ],
  ];
  it.each(cases)('%s', (text, want) => {
    expect(extractReply(text)).toMatchObject(want);
  });
});

describe('splitCodes', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      '250 2.0.0 Ok: queued as 12345',
      { replyCode: 250, enhancedStatus: '2.0.0', text: 'Ok: queued as 12345' },
    ],
    ['4.7.1 Try again later', { replyCode: null, enhancedStatus: '4.7.1', text: 'Try again later' }],
    ['550', { replyCode: 550, enhancedStatus: null, text: '' }],
    ['5500 not a code', { replyCode: null, enhancedStatus: null }],
    ['delivered to mailbox', { replyCode: null, diagnostic: 'delivered to mailbox' }],
    [
      '421-4.7.0 [192.0.2.1 15] Our system 421-4.7.0 has detected 421 4.7.0 more',
      {
        replyCode: 421,
        enhancedStatus: '4.7.0',
        diagnostic: '421 4.7.0 [192.0.2.1 15] Our system has detected more',
      },
    ],
    ['550-First line 550 second line', { diagnostic: '550 First line second line' }],
  ];
  it.each(cases)('%s', (text, want) => {
    expect(splitCodes(text)).toMatchObject(want);
  });
});
