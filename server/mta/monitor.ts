/**
 * The running daemon's look at the MTA itself: the queue read every N seconds and our sending IPs checked on the
 * configured blocklists every N minutes, each only where the configuration allows it. Holds the latest answers.
 */

import type { StoreReader } from '../../db/store/reader.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createBlocklistChecker, type BlocklistChecker, type BlocklistResult } from './dnsbl.js';
import {
  createQueueReader,
  type QueueReader,
  type QueueReadResult,
  type RunCommand,
} from './queue-reader.js';
import type { QueueSnapshot } from './queue-snapshot.js';
import { createPaniclogReader, type PaniclogState } from './paniclog.js';

export type QueueState =
  | { status: 'off' }
  | { status: 'ok'; snapshot: QueueSnapshot }
  | { status: 'not-permitted' | 'not-installed' | 'failed'; readAt: number; message: string };

interface BlocklistState {
  enabled: boolean;
  checkedAt: number | null;
  /** The IPs checked: configured, or learned from blocklist refusals. */
  ips: string[];
  results: BlocklistResult[];
}

export interface MtaMonitor {
  queue(): QueueState;
  /** Queue sizes read so far (newest last), for the growth alert. */
  queueHistory(): readonly QueueSnapshot[];
  blocklists(): BlocklistState;
  /** Exim's paniclog as last read (its panics, for the Server view's warnings). */
  paniclog(): PaniclogState;
  readPaniclog(): Promise<PaniclogState>;
  /** Reads the queue and checks the blocklists now (the timers call these). */
  readQueue(): Promise<QueueState>;
  checkBlocklists(): Promise<BlocklistState>;
  start(): void;
  stop(): void;
}

export interface MtaMonitorDeps {
  config: Pick<Config, 'queue' | 'blocklists'> & Partial<Pick<Config, 'paniclog'>>;
  reader: StoreReader;
  log: Logger;
  now: () => number;
  /** Runs the queue command (tests give recorded outputs). */
  run?: RunCommand;
  /** Blocklist lookups (tests point it at a stub resolver). */
  checker?: BlocklistChecker;
}

const HISTORY = 1_440;
const DAY = 86_400_000;

/** IPv4 addresses a refusal names as the client: `[192.0.2.25]`, `client 192.0.2.25`, `IP 192.0.2.25`. */
const NAMED_IP = /(?:\[|\b(?:client|ip|address|host)\s+)((?:\d{1,3}\.){3}\d{1,3})\b/gi;

/** Our sending IPs as remote servers saw them: the addresses their blocklist refusals name. */
export function ipsNamedInRefusals(diagnostics: Iterable<string>): string[] {
  const seen = new Map<string, number>();
  for (const d of diagnostics) {
    for (const m of d.slice(0, 1_000).matchAll(NAMED_IP)) {
      const ip = m[1] ?? '';
      if (ip.split('.').every((o) => Number(o) <= 255)) seen.set(ip, (seen.get(ip) ?? 0) + 1);
    }
  }
  return [...seen.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([ip]) => ip);
}

export function createMtaMonitor(deps: MtaMonitorDeps): MtaMonitor {
  const { config, reader, now } = deps;
  const log = deps.log.child({ component: 'mta-monitor' });
  const queueCfg = config.queue;
  const listCfg = config.blocklists;
  const queueReader: QueueReader | null = queueCfg.enabled
    ? createQueueReader({
        mta: queueCfg.mta,
        command: queueCfg.command,
        listLimit: queueCfg.listLimit,
        now,
        ...(deps.run ? { run: deps.run } : {}),
      })
    : null;
  const checker =
    deps.checker ??
    (listCfg.enabled
      ? createBlocklistChecker({
          lists: listCfg.lists,
          servers: listCfg.servers,
          timeoutMs: listCfg.timeoutMs,
          now,
        })
      : null);

  const panicCfg = config.paniclog;
  const panicReader = panicCfg?.enabled === true ? createPaniclogReader({ path: panicCfg.path, now }) : null;
  let panics: PaniclogState = { status: 'off', path: null, readAt: null, message: null, lines: [] };
  let queueState: QueueState = { status: 'off' };
  let queueOn = queueReader !== null;
  const history: QueueSnapshot[] = [];
  let lists: BlocklistState = {
    enabled: listCfg.enabled,
    checkedAt: null,
    ips: [...listCfg.ips],
    results: [],
  };
  const timers: NodeJS.Timeout[] = [];

  const applyQueue = (r: QueueReadResult): QueueState => {
    if (r.ok) {
      history.push(r.snapshot);
      if (history.length > HISTORY) history.shift();
      return { status: 'ok', snapshot: r.snapshot };
    }
    // Not permitted or not installed will not change by asking again: reading stops until a restart.
    if (r.reason !== 'failed') {
      queueOn = false;
      log.warn({ reason: r.reason, message: r.message }, 'queue reading is off');
    }
    return { status: r.reason, readAt: r.readAt, message: r.message };
  };

  const ourIps = async (): Promise<string[]> => {
    if (listCfg.ips.length > 0) return [...listCfg.ips];
    const t = now();
    const refusals = await reader.recentFailures({
      kind: 'cause',
      key: 'reputation-blocklist',
      from: t - 7 * DAY,
      to: t,
      host: null,
      limit: 200,
    });
    return ipsNamedInRefusals(refusals.filter((f) => f.source === 'attempt').map((f) => f.diagnostic));
  };

  const monitor: MtaMonitor = {
    queue: () => queueState,
    queueHistory: () => history,
    blocklists: () => lists,
    paniclog: () => panics,
    async readPaniclog() {
      if (panicReader) panics = await panicReader.read();
      return panics;
    },
    async readQueue() {
      if (!queueReader || !queueOn) return queueState;
      queueState = applyQueue(await queueReader.read());
      return queueState;
    },
    async checkBlocklists() {
      if (!checker) return lists;
      const ips = await ourIps();
      const results = ips.length > 0 ? await checker.check(ips) : [];
      lists = { enabled: true, checkedAt: now(), ips, results };
      return lists;
    },
    start() {
      const every = (ms: number, fn: () => Promise<unknown>) => {
        const run = () => void fn().catch((err: unknown) => log.error({ err }, 'mta monitor failed'));
        run();
        const t = setInterval(run, ms);
        t.unref();
        timers.push(t);
      };
      if (queueReader) every(queueCfg.intervalSeconds * 1000, () => monitor.readQueue());
      if (checker) every(listCfg.intervalMinutes * 60_000, () => monitor.checkBlocklists());
      if (panicReader && panicCfg) every(panicCfg.intervalSeconds * 1000, () => monitor.readPaniclog());
    },
    stop() {
      for (const t of timers) clearInterval(t);
      timers.length = 0;
    },
  };
  return monitor;
}
