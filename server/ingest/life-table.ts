/**
 * The message lives correlation holds in memory, by host and queue id, and which of them changed since the last
 * batch. Closed lives leave the table at once (their last state goes with the next batch); idle ones are evicted.
 */

import type { FinalOutcome } from '../../db/store/open-lives.js';
import type { MessageRow } from '../../db/store/stored-rows.js';
import type { Mta } from '../../parsers/types.js';
import type { Deferral } from './recipient-outcomes.js';

/**
 * What an expiry needs to know of a recipient: whether it is still pending, and its last deferral. The stored
 * outcome (deferrals, times, last cause) is derived by the database from the attempts themselves.
 */
export interface RecipientState {
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

export interface LifeTable {
  /** The life of a queue id (created when the log starts mid-life); its last time moves on to `ts`. */
  get: (host: string, mta: Mta, queueId: string, ts: number) => Life;
  /** The life of a queue id if memory holds it (nothing is created or touched). */
  find: (host: string, queueId: string) => Life | undefined;
  /** An opening line (smtpd client=, pickup, Exim <=): on a life that already went further, the id was reused. */
  open: (host: string, mta: Mta, queueId: string, ts: number) => Life;
  /** Takes up a life the store still has open (after a restart). */
  add: (row: MessageRow) => Life;
  /** Closes a life: it goes with the next batch, and leaves memory. */
  close: (life: Life, ts: number) => void;
  /** Lives changed since the last call, for the next batch. */
  takeDirty: () => MessageRow[];
  /** Drops lives idle since before `cutoff`, then the oldest beyond `maxLives`. Returns how many. */
  evict: (cutoff: number, maxLives: number) => number;
  size: () => number;
}

/** Exim's mainlog names no host: its queue id is the key as it is (no id contains the separator). */
const keyOf = (host: string, queueId: string) => (host === '' ? queueId : host + '\u0001' + queueId);

/** A life seen for the first time at `ts`; the store numbers it (two processes may write the same database). */
const newLife = (host: string, mta: Mta, queueId: string, ts: number): Life => ({
  row: {
    id: 0,
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
    hopOf: null,
    expiredAt: null,
    closedAt: null,
  },
  recipients: new Map(),
  active: false,
  dirty: false,
});

export function createLifeTable(): LifeTable {
  const lives = new Map<string, Life>();
  let dirtyLives: Life[] = [];

  const mark = (life: Life) => {
    if (!life.dirty) {
      life.dirty = true;
      dirtyLives.push(life);
    }
  };
  const create = (host: string, mta: Mta, queueId: string, ts: number): Life => {
    const life = newLife(host, mta, queueId, ts);
    lives.set(keyOf(host, queueId), life);
    mark(life);
    return life;
  };
  const get = (host: string, mta: Mta, queueId: string, ts: number): Life => {
    const life = lives.get(keyOf(host, queueId));
    if (!life) return create(host, mta, queueId, ts);
    if (ts > life.row.lastTs) life.row.lastTs = ts;
    mark(life);
    return life;
  };

  return {
    get,
    find: (host, queueId) => lives.get(keyOf(host, queueId)),
    open(host, mta, queueId, ts) {
      const life = lives.get(keyOf(host, queueId));
      if (life && !life.active) return get(host, mta, queueId, ts);
      return create(host, mta, queueId, ts);
    },
    add(row) {
      const life: Life = { row, recipients: new Map(), active: true, dirty: false };
      lives.set(keyOf(row.host, row.queueId), life);
      return life;
    },
    close(life, ts) {
      life.row.closedAt = ts;
      const key = keyOf(life.row.host, life.row.queueId);
      if (lives.get(key) === life) lives.delete(key);
    },
    takeDirty() {
      const rows = dirtyLives.map((l) => {
        l.dirty = false;
        return l.row;
      });
      dirtyLives = [];
      return rows;
    },
    evict(cutoff, maxLives) {
      let evicted = 0;
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
