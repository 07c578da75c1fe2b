/**
 * Message correlation: joins the lines of one queue id on one host into a message life (sender, size,
 * message-id, client, notification link) and tracks each recipient's final outcome. State is bounded:
 * closed lives leave memory after their last write, idle ones are evicted.
 */

import type { OpenLives } from '../../db/store/open-lives.js';
import type { MessageRow } from '../../db/store/stored-rows.js';
import type { DeliveryRecord, MessageRecord, Mta, NotificationRecord } from '../../parsers/types.js';
import { createLifeTable, type Life, type LifeTable } from './life-table.js';
import {
  expireRecipients,
  recordAttempt,
  resumeLives,
  setSender,
  type Deferral,
  type ExpiredRecipient,
} from './recipient-outcomes.js';

export interface Correlator {
  /** The life a delivery belongs to (created when the log starts mid-life). */
  lifeFor(host: string, mta: Mta, queueId: string, ts: number): Life;
  /**
   * Records a delivery attempt's effect on its recipient. For an Exim retry wait, which says nothing of why,
   * returns the recipient's last deferral that did (null if none is known): the wait is classified by it.
   */
  recordAttempt(life: Life, rec: DeliveryRecord): Deferral | null;
  /** Applies a message-level line. For an expiry, returns the recipients still undelivered (maybe none). */
  message(rec: MessageRecord, ts: number): ExpiredRecipient[] | null;
  notification(rec: NotificationRecord, ts: number): void;
  /**
   * A hop: the life re-queued under `rec.queuedAs` goes on from `life` (the trace joins them). Only a life memory
   * holds is linked; one not seen yet links itself by XFORWARD's orig_queue_id, if the filter sends it.
   */
  hop(life: Life, rec: DeliveryRecord, ts: number): void;
  /** Takes up the lives the store still has open (after a restart), before the first line. */
  resume(open: OpenLives): void;
  /** Lives changed since the last call, for the next batch; closed lives leave memory here. */
  takeDirty(): MessageRow[];
  /** Drops lives idle for longer than `idleMs` before `newestTs`, and the oldest beyond the cap. */
  evict(newestTs: number): number;
  size(): number;
}

/** Lives are numbered by the database (two processes may write the same database), so none is given here. */
export interface CorrelatorOptions {
  /** Lives idle this long (log time) leave memory; they stay pending in the database. */
  idleMs?: number;
  maxLives?: number;
}

const DAY = 86_400_000;

/** What a message-level line does to its life. For an expiry, the recipients still undelivered (maybe none). */
function applyMessage(lives: LifeTable, rec: MessageRecord, ts: number): ExpiredRecipient[] | null {
  const host = rec.host ?? '';
  switch (rec.event) {
    case 'client':
    case 'pickup': {
      const life = lives.open(host, rec.mta, rec.queueId, ts);
      if (rec.clientHost !== null) life.row.clientHost = rec.clientHost;
      if (rec.clientIp !== null) life.row.clientIp = rec.clientIp;
      if (rec.origQueueId !== null && rec.origQueueId !== rec.queueId) life.row.hopOf = rec.origQueueId;
      setSender(life, rec.sender);
      return null;
    }
    case 'received': {
      // Exim's <= opens a life; Postfix qmgr from= repeats on every queue run of the same life.
      const life =
        rec.mta === 'exim'
          ? lives.open(host, rec.mta, rec.queueId, ts)
          : lives.get(host, rec.mta, rec.queueId, ts);
      life.active = true;
      setSender(life, rec.sender);
      if (rec.size !== null) life.row.size = rec.size;
      if (rec.nrcpt !== null) life.row.nrcpt = rec.nrcpt;
      if (rec.messageId !== null) life.row.messageId = rec.messageId;
      if (rec.clientHost !== null) life.row.clientHost = rec.clientHost;
      if (rec.clientIp !== null) life.row.clientIp = rec.clientIp;
      // Exim's R= on an arrival from <> names the message a bounce reports.
      if (rec.bounceOf !== null && rec.sender === '') life.row.notificationOf = rec.bounceOf;
      return null;
    }
    case 'message-id': {
      const life = lives.get(host, rec.mta, rec.queueId, ts);
      if (rec.messageId !== null) life.row.messageId = rec.messageId;
      return null;
    }
    case 'expired': {
      const life = lives.get(host, rec.mta, rec.queueId, ts);
      setSender(life, rec.sender);
      return expireRecipients(life, ts);
    }
    case 'removed':
    case 'completed': {
      lives.close(lives.get(host, rec.mta, rec.queueId, ts), ts);
      return null;
    }
    case 'frozen':
    case 'other':
      lives.get(host, rec.mta, rec.queueId, ts);
      return null;
  }
}

export function createCorrelator(options: CorrelatorOptions): Correlator {
  const idleMs = options.idleMs ?? 7 * DAY;
  const maxLives = options.maxLives ?? 200_000;
  const lives = createLifeTable();
  return {
    lifeFor: lives.get,
    recordAttempt,
    message: (rec, ts) => applyMessage(lives, rec, ts),
    notification(rec, ts) {
      const host = rec.host ?? '';
      lives.get(host, rec.mta, rec.queueId, ts);
      const notice = lives.get(host, rec.mta, rec.notificationQueueId, ts);
      notice.row.notificationOf = rec.queueId;
    },
    hop(life, rec, ts) {
      if (rec.queuedAs === null || rec.queuedAs === rec.queueId) return;
      const child = lives.find(life.row.host, rec.queuedAs);
      if (child && child !== life && (child.row.hopOf ?? null) === null) {
        lives.get(life.row.host, child.row.mta, rec.queuedAs, ts).row.hopOf = life.row.queueId;
      }
    },
    resume: (open) => resumeLives(lives, open),
    takeDirty: lives.takeDirty,
    evict: (newestTs) => lives.evict(newestTs - idleMs, maxLives),
    size: lives.size,
  };
}
