/**
 * Message correlation: joins the lines of one queue id on one host into a message life (sender, size,
 * message-id, client, notification link) and tracks each recipient's final outcome. State is bounded:
 * closed lives leave memory after their last write, idle ones are evicted.
 */

import type { DeferralReply, FinalOutcome, OpenLives } from '../../db/store/open-lives.js';
import type { MessageRow } from '../../db/store/stored-rows.js';
import { isEximRetryWait } from '../../parsers/exim-delivery.js';
import type { DeliveryRecord, MessageRecord, Mta, NotificationRecord } from '../../parsers/types.js';

/** What the last deferral of a recipient said: an expired recipient is classified and reported with it. */
export type Deferral = DeferralReply;

/**
 * What an expiry needs to know of a recipient: whether it is still pending, and its last deferral. The stored
 * outcome (deferrals, times, last cause) is derived by the database from the attempts themselves.
 */
interface RecipientState {
  outcome: FinalOutcome;
  lastDeferral: Deferral | null;
}

export interface Life {
  row: MessageRow;
  recipients: Map<string, RecipientState>;
  /** A line beyond the opening ones was seen (received, delivery, expiry): a new opening line starts a new life. */
  active: boolean;
  dirty: boolean;
}

/** A recipient still undelivered when its message expired. */
export interface ExpiredRecipient {
  recipient: string;
  deferral: Deferral | null;
}

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

export const domainOf = (address: string | null): string | null => {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at < 0 || at === address.length - 1 ? null : address.slice(at + 1).toLowerCase();
};

export function createCorrelator(options: CorrelatorOptions): Correlator {
  const idleMs = options.idleMs ?? 7 * DAY;
  const maxLives = options.maxLives ?? 200_000;
  const lives = new Map<string, Life>();
  let dirtyLives: Life[] = [];

  // Exim's mainlog names no host: its queue id is the key as it is (no id contains the separator).
  const keyOf = (host: string, queueId: string) => (host === '' ? queueId : host + '\u0001' + queueId);

  const markLife = (life: Life) => {
    if (!life.dirty) {
      life.dirty = true;
      dirtyLives.push(life);
    }
  };

  const create = (host: string, mta: Mta, queueId: string, ts: number): Life => {
    const life: Life = {
      row: {
        id: 0, // assigned by the database on first write
        host,
        mta,
        queueId,
        firstTs: ts,
        lastTs: ts,
        sender: null,
        senderDomain: null,
        size: null,
        nrcpt: null,
        messageId: null,
        clientHost: null,
        clientIp: null,
        notificationOf: null,
        expiredAt: null,
        closedAt: null,
      },
      recipients: new Map(),
      active: false,
      dirty: false,
    };
    lives.set(keyOf(host, queueId), life);
    markLife(life);
    return life;
  };

  const get = (host: string, mta: Mta, queueId: string, ts: number): Life => {
    const life = lives.get(keyOf(host, queueId));
    if (!life) return create(host, mta, queueId, ts);
    if (ts > life.row.lastTs) life.row.lastTs = ts;
    markLife(life);
    return life;
  };

  /** An opening line (smtpd client=, pickup, Exim <=) on a life that already went further means the id was reused. */
  const open = (host: string, mta: Mta, queueId: string, ts: number): Life => {
    const life = lives.get(keyOf(host, queueId));
    if (life && !life.active) return get(host, mta, queueId, ts);
    return create(host, mta, queueId, ts);
  };

  const setSender = (life: Life, sender: string | null) => {
    if (sender === null) return;
    life.row.sender = sender;
    life.row.senderDomain = domainOf(sender);
  };

  const recipientState = (life: Life, recipient: string): RecipientState => {
    let r = life.recipients.get(recipient);
    if (!r) {
      r = { outcome: 'pending', lastDeferral: null };
      life.recipients.set(recipient, r);
    }
    return r;
  };

  const close = (life: Life, ts: number) => {
    life.row.closedAt = ts;
    const key = keyOf(life.row.host, life.row.queueId);
    if (lives.get(key) === life) lives.delete(key);
  };

  return {
    lifeFor: get,

    recordAttempt(life, rec) {
      life.active = true;
      if (life.row.sender === null && rec.sender !== null) setSender(life, rec.sender);
      const r = recipientState(life, rec.recipient);
      // The same rules as the message_recipients view (db/sqlite/migrations/0005_recipients_from_attempts.sql).
      switch (rec.outcome) {
        case 'sent':
          if (r.outcome === 'pending') r.outcome = 'delivered';
          break;
        case 'deferred':
          // A retry wait says nothing of why: the deferral before it still does.
          if (isEximRetryWait(rec)) return r.lastDeferral;
          r.lastDeferral = {
            replyCode: rec.replyCode,
            enhancedStatus: rec.enhancedStatus,
            dsn: rec.dsn,
            stage: rec.stage,
            relayHost: rec.relayHost,
            relayIp: rec.relayIp,
            port: rec.port,
            diagnostic: rec.diagnostic,
          };
          break;
        case 'bounced':
          r.outcome = 'bounced';
          break;
        case 'expired':
          r.outcome = 'expired';
          break;
      }
      return null;
    },

    message(rec, ts) {
      const host = rec.host ?? '';
      switch (rec.event) {
        case 'client':
        case 'pickup': {
          const life = open(host, rec.mta, rec.queueId, ts);
          if (rec.clientHost !== null) life.row.clientHost = rec.clientHost;
          if (rec.clientIp !== null) life.row.clientIp = rec.clientIp;
          setSender(life, rec.sender);
          return null;
        }
        case 'received': {
          // Exim's <= opens a life; Postfix qmgr from= repeats on every queue run of the same life.
          const life =
            rec.mta === 'exim' ? open(host, rec.mta, rec.queueId, ts) : get(host, rec.mta, rec.queueId, ts);
          life.active = true;
          setSender(life, rec.sender);
          if (rec.size !== null) life.row.size = rec.size;
          if (rec.nrcpt !== null) life.row.nrcpt = rec.nrcpt;
          if (rec.messageId !== null) life.row.messageId = rec.messageId;
          if (rec.clientHost !== null) life.row.clientHost = rec.clientHost;
          if (rec.clientIp !== null) life.row.clientIp = rec.clientIp;
          if (rec.bounceOf !== null) life.row.notificationOf = rec.bounceOf;
          return null;
        }
        case 'message-id': {
          const life = get(host, rec.mta, rec.queueId, ts);
          if (rec.messageId !== null) life.row.messageId = rec.messageId;
          return null;
        }
        case 'expired': {
          const life = get(host, rec.mta, rec.queueId, ts);
          life.active = true;
          setSender(life, rec.sender);
          life.row.expiredAt = ts;
          const out: ExpiredRecipient[] = [];
          for (const [recipient, r] of life.recipients) {
            if (r.outcome !== 'pending') continue;
            r.outcome = 'expired';
            out.push({ recipient, deferral: r.lastDeferral });
          }
          return out;
        }
        case 'removed':
        case 'completed': {
          close(get(host, rec.mta, rec.queueId, ts), ts);
          return null;
        }
        case 'frozen':
        case 'other':
          get(host, rec.mta, rec.queueId, ts);
          return null;
      }
    },

    notification(rec, ts) {
      const host = rec.host ?? '';
      get(host, rec.mta, rec.queueId, ts);
      const notice = get(host, rec.mta, rec.notificationQueueId, ts);
      notice.row.notificationOf = rec.queueId;
    },

    resume(open) {
      const byId = new Map<number, Life>();
      for (const row of open.messages) {
        const life: Life = { row, recipients: new Map(), active: true, dirty: false };
        byId.set(row.id, life);
        lives.set(keyOf(row.host, row.queueId), life);
      }
      for (const r of open.recipients) {
        const life = byId.get(r.messageRowid);
        life?.recipients.set(r.recipient, { outcome: r.finalOutcome, lastDeferral: null });
      }
      // Each recipient's last deferral that said why, so an expiry or an Exim retry wait after the restart is
      // classified as it would have been without one.
      for (const d of open.deferrals) {
        const r = byId.get(d.messageRowid)?.recipients.get(d.recipient);
        if (!r || isEximRetryWait({ ...d, outcome: 'deferred' })) continue;
        r.lastDeferral = {
          replyCode: d.replyCode,
          enhancedStatus: d.enhancedStatus,
          dsn: d.dsn,
          stage: d.stage,
          relayHost: d.relayHost,
          relayIp: d.relayIp,
          port: d.port,
          diagnostic: d.diagnostic,
        };
      }
    },

    takeDirty() {
      const messages = dirtyLives.map((l) => {
        l.dirty = false;
        return l.row;
      });
      dirtyLives = [];
      return messages;
    },

    evict(newestTs) {
      let evicted = 0;
      const cutoff = newestTs - idleMs;
      for (const [key, life] of lives) {
        if (life.row.lastTs < cutoff) {
          lives.delete(key);
          evicted++;
        }
      }
      // Map order is creation order: past the cap, the oldest lives go first.
      if (lives.size > maxLives) {
        for (const key of lives.keys()) {
          if (lives.size <= maxLives) break;
          lives.delete(key);
          evicted++;
        }
      }
      return evicted;
    },

    size: () => lives.size,
  };
}
