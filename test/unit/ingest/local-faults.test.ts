/** Ingest's judge of whose fault a failure is: certain shapes at once, the others once a line nearby confirms them. */

import { describe, expect, it } from 'vitest';
import type { AttemptRow } from '../../../db/store/stored-rows.js';
import { createLocalFaultJudge, LOCAL_FAULT_WINDOW_MS } from '../../../server/ingest/local-faults.js';

const T0 = Date.UTC(2026, 10, 28, 12);
const MIN = 60_000;

function row(over: Partial<AttemptRow>): AttemptRow {
  return {
    ts: T0,
    host: 'mx1',
    mta: 'postfix',
    program: 'postfix/smtp',
    queueId: 'A1B2C3D4E5',
    recipient: 'kim@example.net',
    origRecipient: null,
    recipientDomain: 'example.net',
    sender: 'ann@example.com',
    senderDomain: 'example.com',
    outcome: 'deferred',
    relayHost: null,
    relayIp: null,
    port: null,
    stage: null,
    replyCode: null,
    enhancedStatus: '4.4.3',
    dsn: '4.4.3',
    diagnostic: '',
    delay: null,
    transport: 'smtp',
    class: 'temporary',
    cause: 'network',
    provider: null,
    blocklist: null,
    hardBounce: false,
    classConflict: null,
    messageId: null,
    ...over,
  };
}

const dnsTry =
  'Host or domain name not found. Name service error for name=example.net type=MX: Host not found, try again';

describe('local fault judge', () => {
  it('takes a fault the text proves at once, and never leaves the address dead', () => {
    const judge = createLocalFaultJudge();
    const cases: [string, string][] = [
      ['local-filter', 'connect to 127.0.0.1[127.0.0.1]:10024: Connection refused'],
      ['local-config', 'mail for example.net loops back to myself'],
      ['local-config', 'mail transport unavailable'],
      ['local-disk', 'maildir delivery failed: No space left on device'],
    ];
    for (const [cause, diagnostic] of cases) {
      const r = row({
        diagnostic,
        outcome: 'bounced',
        class: 'permanent',
        cause: 'remote-error',
        hardBounce: true,
      });
      judge.failure(r, r);
      expect(r, diagnostic).toMatchObject({ cause, hardBounce: false });
    }
  });

  it('leaves a remote verdict alone', () => {
    const judge = createLocalFaultJudge();
    const r = row({
      diagnostic: 'host mx.example.net[192.0.2.5] said: 550 5.1.1 <kim@example.net>: User unknown',
      cause: 'recipient-unknown',
      hardBounce: true,
    });
    judge.failure(r, r);
    expect(r).toMatchObject({ cause: 'recipient-unknown', hardBounce: true });
  });

  it('takes a DNS failure as ours when mail to the same domain went through nearby, before or after', () => {
    const judge = createLocalFaultJudge();
    judge.delivered('example.net', T0 - 10 * MIN);
    const before = row({ diagnostic: dnsTry });
    judge.failure(before, before);
    expect(before.cause).toBe('local-dns');

    const after = row({ diagnostic: dnsTry, recipientDomain: 'example.com', ts: T0 });
    judge.failure(after, after);
    expect(after.cause).toBe('network');
    judge.delivered('example.com', T0 + 20 * MIN);
    expect(after.cause).toBe('local-dns');
  });

  it('keeps a DNS failure remote when the domain received nothing nearby, or only after its batch left', () => {
    const judge = createLocalFaultJudge();
    const dead = row({
      diagnostic:
        'Host or domain name not found. Name service error for name=gone.example type=A: Host not found',
      recipientDomain: 'gone.example',
      outcome: 'bounced',
      class: 'permanent',
      cause: 'domain-invalid',
      hardBounce: true,
    });
    judge.failure(dead, dead);
    judge.delivered('gone.example', T0 + LOCAL_FAULT_WINDOW_MS + MIN);
    expect(dead).toMatchObject({ cause: 'domain-invalid', hardBounce: true });

    const stored = row({ diagnostic: dnsTry });
    judge.failure(stored, stored);
    judge.batchTaken();
    judge.delivered('example.net', T0 + MIN);
    expect(stored.cause).toBe('network');
  });

  it('takes a full-storage reply as our disk only beside our own warning about free space', () => {
    const judge = createLocalFaultJudge();
    const text =
      'host 127.0.0.2[127.0.0.2] said: 452 4.3.1 Insufficient system storage (in reply to MAIL FROM command)';
    const remote = row({
      diagnostic: 'host mx.example.net[192.0.2.5] said: 452 4.3.1 Insufficient system storage',
    });
    judge.failure(remote, remote);
    expect(remote.cause).toBe('network');
    judge.warning('mx2', 'not enough free space in mail queue: 4194304 bytes < 1.5*message size limit', T0);
    expect(remote.cause).toBe('network');
    judge.warning(
      'mx1',
      'not enough free space in mail queue: 4194304 bytes < 1.5*message size limit',
      T0 + MIN,
    );
    expect(remote.cause).toBe('local-disk');
    const loopback = row({ diagnostic: text });
    judge.failure(loopback, loopback);
    expect(loopback.cause).toBe('local-disk');
  });
});
