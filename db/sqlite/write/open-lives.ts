/** Reads of the message lives still open: what correlation picks up again after a restart. */

import type { MessageRecipientRow, OpenLives, StoredDeferral } from '../../store/open-lives.js';
import {
  messageFromTable,
  recipientFromTable,
  type MessageTableRow,
  type RecipientTableRow,
} from '../message-table-rows.js';
import type { Db } from '../open.js';

export interface MessageStore {
  /** Lives not closed yet, newest first, at most `limit`: correlation picks them up after a restart. */
  openLives(limit: number): OpenLives;
}

export function createMessageStore(db: Db): MessageStore {
  const open = db.prepare<[number], MessageTableRow>(
    'SELECT * FROM messages WHERE closed_at IS NULL ORDER BY last_ts DESC LIMIT ?',
  );
  const recipients = db.prepare<[number], RecipientTableRow>(
    'SELECT * FROM message_recipients WHERE message_rowid = ?',
  );
  // Read from the attempts through their index on message_rowid: a small share of what the recipients' outcomes cost.
  const deferrals = db.prepare<[number], StoredDeferral>(
    `SELECT message_rowid AS messageRowid, recipient, mta, reply_code AS replyCode,
            enhanced_status AS enhancedStatus, dsn, stage, relay_host AS relayHost, relay_ip AS relayIp, port,
            diagnostic
       FROM attempts WHERE message_rowid = ? AND outcome = 'deferred' ORDER BY id`,
  );
  return {
    openLives(limit) {
      const messages = open.all(limit).map(messageFromTable);
      const rcpts: MessageRecipientRow[] = [];
      const stored: StoredDeferral[] = [];
      for (const m of messages) {
        for (const r of recipients.all(m.id)) rcpts.push(recipientFromTable(r));
        for (const d of deferrals.all(m.id)) stored.push(d);
      }
      return { messages, recipients: rcpts, deferrals: stored };
    },
  };
}
