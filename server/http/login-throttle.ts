/** Failed logins per client: a few are free, then each further try waits twice as long as the one before, up to 15 minutes. */

export interface LoginThrottle {
  /** Whole seconds the client must still wait before it may try again; 0 when it may. */
  waitSeconds(client: string): number;
  failed(client: string): void;
  succeeded(client: string): void;
}

interface Entry {
  failures: number;
  lastAt: number;
  until: number;
}

const MAX_DELAY_MS = 15 * 60_000;
/** A client that has not failed for this long (and is not waiting) starts afresh. */
const FORGET_MS = 15 * 60_000;

export function createLoginThrottle(options: {
  /** Failures before the first wait. */
  freeFailures: number;
  now: () => number;
  /** Clients remembered at most; the longest quiet are forgotten first, so many addresses cannot grow memory. */
  maxClients?: number;
}): LoginThrottle {
  const { freeFailures, now } = options;
  const maxClients = options.maxClients ?? 10_000;
  const entries = new Map<string, Entry>();

  const current = (client: string, t: number): Entry | undefined => {
    const e = entries.get(client);
    if (e && t >= e.until && t - e.lastAt > FORGET_MS) {
      entries.delete(client);
      return undefined;
    }
    return e;
  };

  return {
    waitSeconds(client) {
      const t = now();
      const e = current(client, t);
      return e && e.until > t ? Math.ceil((e.until - t) / 1000) : 0;
    },
    failed(client) {
      const t = now();
      const e = current(client, t) ?? { failures: 0, lastAt: t, until: t };
      e.failures++;
      e.lastAt = t;
      const over = e.failures - freeFailures;
      if (over > 0) e.until = t + Math.min(1000 * 2 ** Math.min(over - 1, 30), MAX_DELAY_MS);
      // Re-inserted so the map stays in order of last failure, oldest first.
      entries.delete(client);
      entries.set(client, e);
      if (entries.size > maxClients) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
    },
    succeeded(client) {
      entries.delete(client);
    },
  };
}
