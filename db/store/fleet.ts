/**
 * What a fleet's store tells beyond one host's rows: when each host last delivered, log text an agent could
 * never read, and how far behind its log each agent is. The PostgreSQL store keeps these; a single SQLite file
 * has one reader in the same process and needs none of them.
 */

/** Log text lost to rotation before it was read. */
export interface LogLoss {
  host: string;
  path: string;
  /** Bytes known to be lost (the unread rest of the file the agent stopped in). */
  lostBytes: number;
  /** When the agent last read from that file (ms): the lost lines were written after it. */
  lostFrom: number;
  detectedAt: number;
}

/** One host's deliveries as the per-host silence rule weighs them. */
export interface HostActivity {
  host: string;
  /** Time of the host's newest delivery since the period's start, or null. */
  lastSentTs: number | null;
  /** Deliveries since the period's start. */
  sent: number;
}

/** An agent's last report on itself. */
export interface AgentReport {
  host: string;
  reportedAt: number;
  /** Bytes of its logs not read yet. */
  lagBytes: number;
  /** Time of the newest line it committed, or null. */
  newestLineTs: number | null;
  /** Start of the last time it waited for the store, or null when it never had to. */
  waitedSince: number | null;
  /** How long it waited then (ms). */
  waitedMs: number;
}

export interface FleetReader {
  hostActivity(since: number): Promise<HostActivity[]>;
  /** Losses detected at or after `since`, newest first. */
  logLosses(since: number): Promise<LogLoss[]>;
  /** Agents that reported at or after `since`. */
  agentReports(since: number): Promise<AgentReport[]>;
}

/** Whether this process is the one that runs the fleet's alert engine. */
export interface Leadership {
  isLeader(): boolean;
  start(): void;
  stop(): Promise<void>;
}
