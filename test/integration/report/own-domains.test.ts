/**
 * Own domains are decided when the report is made, from the stored facts and the config: changing `ownDomains`
 * changes the flows of mail already stored, with no re-import.
 */

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteReader } from '../../../db/sqlite/reader.js';
import { CAUSE_INFO } from '../../../classify/index.js';
import { createDrillDownService } from '../../../server/services/drill-down.js';
import { classifierKnowledge } from '../../../server/services/knowledge.js';
import { createOverviewService } from '../../../server/services/overview.js';
import { buildReport } from '../../../server/services/report-model.js';
import { setup, type Env } from '../ingest/helpers.js';

const LOG = join(import.meta.dirname, '../../fixtures/logs/mx-refuses-spam/mail.log');

let env: Env;
beforeEach(async () => {
  env = setup('bw-own-');
  await env.ingest.ingestFiles([LOG]);
});
afterEach(() => env.cleanup());

async function report(ownDomains: string[]) {
  const reader = createSqliteReader(env.db, { now: () => Date.now() });
  const range = { kind: 'all' as const, label: 'all', from: 0, to: Date.UTC(2100, 0, 1) };
  return buildReport(reader, range, {
    now: Date.now(),
    timeZone: 'UTC',
    knowledge: classifierKnowledge(),
    ownDomains: { ownDomains },
    triage: reader,
  });
}

describe('own domains at report time', () => {
  it('learns the MX domain from the log, with its reason, and counts its mail inbound', async () => {
    const r = await report([]);
    const own = r.ownDomains.map((d) => d.domain);
    expect(own.length).toBeGreaterThan(0);
    for (const d of r.ownDomains) {
      expect(d.source).toBe('learned');
      expect(d.why).not.toBe('');
    }
    for (const d of r.domains) expect(d.direction).toBe(own.includes(d.domain) ? 'inbound' : 'outbound');
    expect(r.flows.inbound.sent).toBeGreaterThan(0);
  });

  it('moves stored mail between the flows when the config says a domain is or is not ours', async () => {
    const before = await report([]);
    const learned = before.ownDomains[0]!.domain;
    const mine = before.domains.find((d) => d.domain === learned)!;
    const after = await report([`!${learned}`, 'partner.example']);
    expect(after.ownDomains.map((d) => d.domain)).not.toContain(learned);
    expect(after.ownDomains.find((d) => d.domain === 'partner.example')?.source).toBe('config');
    expect(after.domains.find((d) => d.domain === learned)?.direction).toBe('outbound');
    expect(after.flows.inbound.sent).toBe(before.flows.inbound.sent - mine.sent);
    expect(after.flows.outbound.sent).toBe(before.flows.outbound.sent + mine.sent);
    // The totals do not depend on the flow.
    expect(after.totals).toEqual(before.totals);
  });

  it('never lists an inbound reject among the delivery causes', async () => {
    const r = await report([]);
    expect(r.inbound.rejected).toBe(r.totals.rejected);
    expect(r.inbound.causes.reduce((n, c) => n + c.count, 0)).toBe(r.totals.rejected);
    const inboundIds = new Set(r.inbound.causes.map((c) => c.cause));
    for (const c of r.causes) expect(inboundIds.has(c.cause)).toBe(false);
    for (const c of r.inbound.causes) expect(c.action).not.toMatch(/delist|your sending IP/i);
  });

  it('never offers to stop mailing an address of our own domains: not on the suppression list, nor as the action', async () => {
    const r = await report([]);
    const own = new Set(r.ownDomains.map((d) => d.domain));
    expect(r.hardBounces.length).toBeGreaterThan(0);
    for (const h of r.hardBounces) expect(own.has(h.domain), h.address).toBe(false);

    // With every unknown-user failure in our own domains, the action is the receiving side's.
    const allOurs = await report(['forged.example']);
    expect(allOurs.hardBounces).toEqual([]);
    const unknown = allOurs.causes.find((c) => c.cause === 'recipient-unknown')!;
    expect(unknown.action).toBe(CAUSE_INFO['recipient-unknown'].inboundAction);
    expect(unknown.action).not.toMatch(/stop mailing|suppression/i);
    // Mixed flows keep the sender's action for the outbound share.
    expect(r.causes.find((c) => c.cause === 'recipient-unknown')!.action).toMatch(/suppression list/);
  });

  it('the overview and the cause page take the action of the flow, and mark no address of ours dead', async () => {
    const reader = createSqliteReader(env.db, { now: () => Date.now() });
    const knowledge = classifierKnowledge();
    const ownDomains = { ownDomains: ['forged.example'] };
    const range = { from: 0, to: Date.UTC(2100, 0, 1), host: null };
    const overview = createOverviewService({ reader, knowledge, ownDomains });
    const causes = await overview.causes(range, 10);
    const inboundAction = CAUSE_INFO['recipient-unknown'].inboundAction;
    expect(causes.causes.find((c) => c.cause === 'recipient-unknown')?.action).toBe(inboundAction);
    const page = await createDrillDownService({ reader, knowledge, ownDomains }).detail({
      kind: 'cause',
      key: 'recipient-unknown',
      range,
      samples: 5,
      addresses: 10,
    });
    expect(page.cause?.action).toBe(inboundAction);
    expect(page.addresses.length).toBeGreaterThan(0);
    for (const a of page.addresses) expect(a.hardBounce, a.address).toBe(false);
  });
});
