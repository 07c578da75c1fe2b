/** The report's suppression list: the addresses that bounced hard in a period, without the rest of the report. */

import type { HardBounceRow, StoreReader, TimeRange } from '../../db/store/reader.js';
import type { Report } from '../http/contract/report.js';
import { isoInZone } from '../report/week.js';
import { ownDomains, type OwnDomains, type OwnDomainsConfig } from './own-domains.js';

/** Most hard-bounced addresses a report lists. */
export const HARD_BOUNCE_LIMIT = 100_000;

/**
 * The listed addresses of `rows` (read with one more than `limit`, to tell a cut list): an unknown mailbox of
 * our own domains is not one our users mail, so it is left out.
 */
export function suppressionList(
  rows: readonly HardBounceRow[],
  own: OwnDomains,
  limit: number,
  timeZone: string,
): { hardBounces: Report['hardBounces']; hardBouncesTruncated: boolean } {
  const dead = rows.filter((h) => !own.isOwn(h.domain));
  return {
    hardBounces: dead.slice(0, limit).map((h) => ({
      address: h.recipient,
      domain: h.domain,
      cause: h.cause,
      code: h.code,
      reply: h.diagnostic,
      bounces: h.bounces,
      lastSeen: isoInZone(h.lastTs, timeZone),
    })),
    hardBouncesTruncated: dead.length > limit,
  };
}

/** `bouncewatch report --addresses`: only the suppression list is read, not the week's counts and texts. */
export async function buildAddressList(
  reader: StoreReader,
  range: TimeRange,
  options: { timeZone: string; ownDomains?: OwnDomainsConfig; limit?: number },
): Promise<Report['hardBounces']> {
  const limit = options.limit ?? HARD_BOUNCE_LIMIT;
  const [rows, own] = await Promise.all([
    reader.hardBouncedAddresses(range, limit + 1),
    ownDomains(reader, options.ownDomains ?? { ownDomains: [] }),
  ]);
  return suppressionList(rows, own, limit, options.timeZone).hardBounces;
}
