// An agent whose store goes away keeps its batch, waits and writes it once the store is back: nothing lost,
// nothing doubled, and how long it waited is known meanwhile.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgClient } from '../../../db/postgres/connect.js';
import { openPgWriter, type PgWriter } from '../../../db/postgres/write/pg-writer.js';
import { emptyBatch } from '../../../db/store/batch.js';
import type { AttemptRow } from '../../../db/store/stored-rows.js';
import { describePg } from '../../helpers/pg-context.js';
import { createRelay } from '../../helpers/pg-relay.js';

const attempt = (ts: number, recipient: string): AttemptRow => ({
  ts,
  host: 'mx-down.example.org',
  mta: 'postfix',
  program: 'postfix/smtp',
  queueId: 'Q1',
  recipient,
  origRecipient: null,
  recipientDomain: 'example.net',
  sender: null,
  senderDomain: null,
  outcome: 'sent',
  relayHost: null,
  relayIp: null,
  port: null,
  stage: null,
  replyCode: 250,
  enhancedStatus: '2.0.0',
  dsn: null,
  diagnostic: '250 2.0.0 Ok',
  delay: null,
  transport: 'smtp',
  class: 'success',
  cause: null,
  provider: null,
  blocklist: null,
  hardBounce: false,
  classConflict: null,
  messageId: null,
});

describePg('an agent whose store goes down', (url) => {
  let relay: ReturnType<typeof createRelay>;
  let writer: PgWriter;
  const retries: number[] = [];
  beforeAll(async () => {
    const target = new URL(url());
    relay = createRelay(target);
    await relay.open();
    writer = await openPgWriter({
      url: relay.url(target),
      host: 'mx-down.example.org',
      backoff: { firstMs: 20, maxMs: 100 },
      onRetry: (_err, attempt) => retries.push(attempt),
    });
  });
  afterAll(async () => {
    await writer.close();
  });

  it('waits while the store is away, then writes the batch once', async () => {
    const t = Date.UTC(2026, 10, 28, 10, 0);
    const first = emptyBatch();
    first.attempts.push(attempt(t, 'a@example.net'));
    first.checkpoint = {
      path: '/var/log/mail.log',
      inode: 1,
      fingerprint: '10:abc',
      offset: 100,
      size: 100,
      lines: 1,
      complete: false,
    };
    await writer.write(first);

    await relay.cut();
    const second = emptyBatch();
    second.attempts.push(attempt(t + 1000, 'b@example.net'));
    second.checkpoint = { ...first.checkpoint, offset: 200, size: 200, lines: 2 };
    let done = false;
    const written = writer.write(second).then(() => {
      done = true;
    });
    await expect.poll(() => retries.length, { timeout: 10_000 }).toBeGreaterThan(2);
    expect(done).toBe(false);
    expect(writer.status.waitingSince).not.toBeNull();

    await relay.open();
    await written;
    expect(writer.status.waitingSince).toBeNull();
    const client = createPgClient(url());
    await client.connect();
    try {
      const { rows } = await client.query<{ recipient: string }>(
        'SELECT recipient FROM attempts_full ORDER BY recipient',
      );
      expect(rows.map((r) => r.recipient)).toEqual(['a@example.net', 'b@example.net']);
      const cp = await client.query<{ offset: number }>('SELECT "offset" FROM sources');
      expect(cp.rows).toEqual([{ offset: 200 }]);
    } finally {
      await client.end();
    }
  });
});
