/** Caps on open live event streams, per client and in total, so held connections cannot grow memory without bound. */

import { httpError } from './errors.js';

export interface StreamLimit {
  /** Takes a slot for `client`, or throws the HttpError to answer; the returned function frees the slot (once). */
  acquire(client: string): () => void;
  /** Streams open now. */
  open(): number;
}

/** A dashboard reconnects after this long; a client that holds too many is told the same. */
const RETRY_AFTER = '30';

export function createStreamLimit(options: { perClient: number; total: number }): StreamLimit {
  const byClient = new Map<string, number>();
  let total = 0;
  return {
    acquire(client) {
      const mine = byClient.get(client) ?? 0;
      if (mine >= options.perClient) {
        throw httpError(
          429,
          'too-many-streams',
          `this client already holds ${mine} live streams (the most allowed); close a dashboard tab`,
          { 'Retry-After': RETRY_AFTER },
        );
      }
      if (total >= options.total) {
        throw httpError(
          503,
          'server-busy',
          'the server holds as many live streams as it allows; retry later',
          {
            'Retry-After': RETRY_AFTER,
          },
        );
      }
      byClient.set(client, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byClient.get(client) ?? 1) - 1;
        if (left > 0) byClient.set(client, left);
        else byClient.delete(client);
      };
    },
    open: () => total,
  };
}
