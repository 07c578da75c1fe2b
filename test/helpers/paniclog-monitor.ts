/** An MTA monitor that reads only a paniclog, in the given state: its queue and blocklist checks are off. */

import type { MtaMonitor } from '../../server/mta/monitor.js';
import type { PaniclogState } from '../../server/mta/paniclog.js';

export function paniclogMonitor(state: () => PaniclogState): MtaMonitor {
  const lists = { enabled: false, checkedAt: null, ips: [], results: [] };
  return {
    queue: () => ({ status: 'off' }),
    queueHistory: () => [],
    blocklists: () => lists,
    paniclog: state,
    readPaniclog: () => Promise.resolve(state()),
    readQueue: () => Promise.resolve({ status: 'off' }),
    checkBlocklists: () => Promise.resolve(lists),
    start: () => undefined,
    stop: () => undefined,
  };
}
