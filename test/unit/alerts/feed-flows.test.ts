/** The alert windows judge our mail to the world: deliveries to our own domains stay out of them. */

import { describe, expect, it } from 'vitest';
import type { AttemptRow } from '../../../db/store/stored-rows.js';
import { createFeed } from '../../../server/alerts/feed.js';
import { ALL } from '../../../server/alerts/window.js';

const NOW = Date.UTC(2026, 10, 28, 12);

const blocked = (recipientDomain: string): AttemptRow => ({
  ts: NOW - 60_000,
  host: 'mx1',
  mta: 'postfix',
  program: 'postfix/smtp',
  queueId: 'A1B2C3D4E5',
  recipient: `kim@${recipientDomain}`,
  origRecipient: null,
  recipientDomain,
  sender: 'ann@example.net',
  senderDomain: 'example.net',
  outcome: 'bounced',
  relayHost: 'store.example.org',
  relayIp: '10.0.0.5',
  port: 25,
  stage: 'rcpt',
  replyCode: 554,
  enhancedStatus: '5.7.1',
  dsn: '5.7.1',
  diagnostic:
    'host store.example.org[10.0.0.5] said: 554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org',
  delay: 1,
  transport: 'smtp',
  class: 'permanent',
  cause: 'reputation-blocklist',
  provider: null,
  blocklist: 'zen.spamhaus.org',
  hardBounce: false,
  classConflict: null,
  messageId: null,
});

describe('alert feed by flow', () => {
  it('never counts a refusal of mail to our own domains as a blocklisting of us', () => {
    const feed = createFeed(86_400_000, (d) => d === 'example.org');
    feed.ingest(
      {
        attempts: [blocked('example.org'), blocked('example.org')],
        rejects: [],
        linesRead: 2,
        unparsed: 0,
        newestTs: NOW,
      },
      NOW,
    );
    expect(feed.store.sum(ALL, NOW - 3_600_000, NOW).blocklisted).toBe(0);
    feed.ingest(
      { attempts: [blocked('example.com')], rejects: [], linesRead: 1, unparsed: 0, newestTs: NOW },
      NOW,
    );
    expect(feed.store.sum(ALL, NOW - 3_600_000, NOW).blocklisted).toBe(1);
  });
});
