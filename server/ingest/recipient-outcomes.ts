/**
 * What the lines of a life do to its recipients: the outcome each is heading for and its last deferral that
 * said why, by the same rules as the store's message_recipients view
 * (db/sqlite/migrations/0005_recipients_from_attempts.sql).
 */

import type { DeferralReply, OpenLives } from '../../db/store/open-lives.js';
import { isEximRetryWait } from '../../parsers/exim-delivery.js';
import type { DeliveryRecord } from '../../parsers/types.js';
import type { Life, LifeTable, RecipientState } from './life-table.js';

/** What the last deferral of a recipient said: an expired recipient is classified and reported with it. */
export type Deferral = DeferralReply;

/** A recipient still undelivered when its message expired. */
export interface ExpiredRecipient {
  recipient: string;
  deferral: Deferral | null;
}

export const domainOf = (address: string | null): string | null => {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at < 0 || at === address.length - 1 ? null : address.slice(at + 1).toLowerCase();
};

export function setSender(life: Life, sender: string | null): void {
  if (sender === null) return;
  life.row.sender = sender;
  life.row.senderDomain = domainOf(sender);
}

const deferralOf = (d: Deferral): Deferral => ({
  replyCode: d.replyCode,
  enhancedStatus: d.enhancedStatus,
  dsn: d.dsn,
  stage: d.stage,
  relayHost: d.relayHost,
  relayIp: d.relayIp,
  port: d.port,
  diagnostic: d.diagnostic,
});

function recipientState(life: Life, recipient: string): RecipientState {
  let r = life.recipients.get(recipient);
  if (!r) {
    r = { outcome: 'pending', lastDeferral: null };
    life.recipients.set(recipient, r);
  }
  return r;
}

/**
 * A delivery attempt's effect on its recipient. For an Exim retry wait, which says nothing of why, returns the
 * recipient's last deferral that did (null if none is known): the wait is classified by it.
 */
export function recordAttempt(life: Life, rec: DeliveryRecord): Deferral | null {
  life.active = true;
  if (life.row.sender === null && rec.sender !== null) setSender(life, rec.sender);
  const r = recipientState(life, rec.recipient);
  switch (rec.outcome) {
    case 'sent':
      if (r.outcome === 'pending') r.outcome = 'delivered';
      break;
    case 'deferred':
      // A retry wait says nothing of why: the deferral before it still does.
      if (isEximRetryWait(rec)) return r.lastDeferral;
      r.lastDeferral = deferralOf(rec);
      break;
    case 'bounced':
      r.outcome = 'bounced';
      break;
    case 'expired':
      r.outcome = 'expired';
      break;
  }
  return null;
}

/** An expiry: every recipient still pending has expired, with its last deferral. */
export function expireRecipients(life: Life, ts: number): ExpiredRecipient[] {
  life.active = true;
  life.row.expiredAt = ts;
  const out: ExpiredRecipient[] = [];
  for (const [recipient, r] of life.recipients) {
    if (r.outcome !== 'pending') continue;
    r.outcome = 'expired';
    out.push({ recipient, deferral: r.lastDeferral });
  }
  return out;
}

/**
 * Takes up the lives the store still has open, with their recipients' outcomes and each recipient's last
 * deferral that said why, so an expiry or an Exim retry wait after a restart is classified as without one.
 */
export function resumeLives(table: LifeTable, open: OpenLives): void {
  const byId = new Map<number, Life>();
  for (const row of open.messages) byId.set(row.id, table.add(row));
  for (const r of open.recipients) {
    byId.get(r.messageRowid)?.recipients.set(r.recipient, { outcome: r.finalOutcome, lastDeferral: null });
  }
  for (const d of open.deferrals) {
    const r = byId.get(d.messageRowid)?.recipients.get(d.recipient);
    if (!r || isEximRetryWait({ ...d, outcome: 'deferred' })) continue;
    r.lastDeferral = deferralOf(d);
  }
}
