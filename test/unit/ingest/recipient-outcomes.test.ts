/** What delivery lines and expiries do to a life's recipients. */

import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../../parsers/types.js';
import { createLifeTable } from '../../../server/ingest/life-table.js';
import {
  domainOf,
  expireRecipients,
  recordAttempt,
  resumeLives,
} from '../../../server/ingest/recipient-outcomes.js';

const T0 = Date.UTC(2026, 10, 27, 6);

const delivery = (over: Partial<DeliveryRecord>): DeliveryRecord =>
  ({
    kind: 'delivery',
    mta: 'postfix',
    host: 'mx1',
    program: 'postfix/smtp',
    tsMs: T0,
    queueId: 'ABC',
    recipient: 'ann@example.net',
    origRecipient: null,
    recipientDomain: 'example.net',
    sender: null,
    outcome: 'sent',
    relayHost: null,
    relayIp: null,
    port: null,
    stage: null,
    replyCode: null,
    enhancedStatus: null,
    dsn: null,
    diagnostic: '',
    delay: null,
    transport: null,
    ...over,
  }) as DeliveryRecord;

describe('recipient outcomes', () => {
  it('expires the recipients still pending, each with its last deferral', () => {
    const life = createLifeTable().get('mx1', 'postfix', 'ABC', T0);
    recordAttempt(
      life,
      delivery({
        recipient: 'ann@example.net',
        outcome: 'deferred',
        replyCode: 451,
        diagnostic: 'try later',
      }),
    );
    recordAttempt(
      life,
      delivery({ recipient: 'bob@example.net', outcome: 'sent', sender: 'shop@example.org' }),
    );
    expect(life.row.senderDomain).toBe('example.org');
    const left = expireRecipients(life, T0 + 5000);
    expect(left.map((r) => [r.recipient, r.deferral?.replyCode])).toEqual([['ann@example.net', 451]]);
    expect(life.row.expiredAt).toBe(T0 + 5000);
    expect(expireRecipients(life, T0 + 6000)).toEqual([]);
  });

  it('answers an Exim retry wait with the deferral before it, and keeps that one as the last word', () => {
    const life = createLifeTable().get('', 'exim', 'X-Y-Z', T0);
    const said = delivery({ mta: 'exim', outcome: 'deferred', replyCode: 421, diagnostic: 'rate limited' });
    expect(recordAttempt(life, said)).toBeNull();
    const wait = delivery({
      mta: 'exim',
      outcome: 'deferred',
      diagnostic: 'retry time not reached for any host',
    });
    expect(recordAttempt(life, wait)?.replyCode).toBe(421);
    expect(expireRecipients(life, T0)[0]?.deferral?.diagnostic).toBe('rate limited');
  });

  it('takes up open lives with their recipients and last deferrals after a restart', () => {
    const lives = createLifeTable();
    const row = { ...lives.get('mx1', 'postfix', 'OLD', T0).row, id: 9, queueId: 'Q9' };
    resumeLives(lives, {
      messages: [row],
      recipients: [
        {
          messageRowid: 9,
          recipient: 'ann@example.net',
          finalOutcome: 'pending',
          deferrals: 1,
          firstAttemptTs: T0,
          finalTs: null,
          lastCause: null,
          lastDiagnostic: null,
        },
      ],
      deferrals: [
        {
          messageRowid: 9,
          recipient: 'ann@example.net',
          mta: 'postfix',
          replyCode: 452,
          enhancedStatus: '4.2.2',
          dsn: null,
          stage: null,
          relayHost: null,
          relayIp: null,
          port: null,
          diagnostic: 'mailbox full',
        },
      ],
    });
    const left = expireRecipients(lives.get('mx1', 'postfix', 'Q9', T0 + 1), T0 + 1);
    expect(left.map((r) => [r.recipient, r.deferral?.replyCode, r.deferral?.diagnostic])).toEqual([
      ['ann@example.net', 452, 'mailbox full'],
    ]);
  });

  it('reads the domain of an address', () => {
    expect(domainOf('Ann@Example.NET')).toBe('example.net');
    expect(domainOf('nobody@')).toBeNull();
    expect(domainOf(null)).toBeNull();
  });
});
