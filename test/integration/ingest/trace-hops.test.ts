/** A message through a content filter is one life in the trace: the hand-over, then the re-queued copy's outcome. */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import { createTraceService } from '../../../server/services/trace.js';
import { runCli } from '../../helpers/cli.js';
import { setup, type Env } from './helpers.js';

const LOG = join(import.meta.dirname, '../../fixtures/logs/gateway-content-filter/mail.log');

let env: Env;
beforeEach(async () => {
  env = setup('bw-hops-');
  await env.ingest.ingestFiles([LOG]);
});
afterEach(() => env.cleanup());

const trace = (q: string) =>
  createTraceService({
    reader: createSqliteReader(env.db, { now: () => Date.now() }),
    knowledge: classifierKnowledge(),
  }).trace({ q, by: 'auto', host: null, limit: 20, offset: 0 });

describe('trace through a content filter', () => {
  it('joins the hand-over and the re-queued copy into one life, found once from either queue id', async () => {
    const byFirst = await trace('01A2B3C4D5');
    const bySecond = await trace('02B3C4D5E6');
    for (const r of [byFirst, bySecond]) {
      expect(r.messages).toHaveLength(1);
      const m = r.messages[0]!;
      expect(m.queueIds).toEqual(['01A2B3C4D5', '02B3C4D5E6']);
      expect(m.events.map((e) => [e.queueId, e.hop, e.outcome])).toEqual([
        ['01A2B3C4D5', true, 'sent'],
        ['02B3C4D5E6', false, 'sent'],
      ]);
      // The original client, not the filter's loopback.
      expect(m.clientIp).toBe('198.51.100.20');
      expect(m.recipients.map((x) => [x.recipient, x.finalOutcome])).toEqual([
        ['maria@example.com', 'delivered'],
      ]);
    }
  });

  it("tells each recipient's real outcome after the filter, one message per life in a recipient search", async () => {
    const r = await trace('nobody@example.com');
    expect(r.messages.length).toBeGreaterThan(0);
    for (const m of r.messages) {
      expect(m.queueIds.length).toBe(2);
      const final = m.recipients.find((x) => x.recipient === 'nobody@example.com');
      expect(final?.finalOutcome).toBe('bounced');
    }
    expect(new Set(r.messages.map((m) => m.queueIds[0])).size).toBe(r.messages.length);
    expect(r.scanned).toBeGreaterThanOrEqual(r.messages.length);
  });

  it('bouncewatch trace prints the life across both queue ids', () => {
    const out = runCli(['trace', '--db', env.dbFile, '01A2B3C4D5']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/queue ids 01A2B3C4D5 -> 02B3C4D5E6/);
    expect(out.stdout).toMatch(/01A2B3C4D5 {2}handed to filter {2}maria@example\.com/);
    expect(out.stdout).toMatch(/final: maria@example\.com delivered/);
    const bad = runCli(['trace', '--db', env.dbFile, '--by', 'color', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--by takes auto, recipient/);
  });
});
