/** The fault suite's server: the built `bouncewatch serve` on a generated week of traffic, and a /healthz prober in its own process. */

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import {
  endWithThisProcess,
  ensureBuilt,
  freePort,
  repoRoot,
  startCli,
  waitForOutput,
} from '../helpers/cli.js';

/** A database with a few days of generated Postfix traffic, imported by the built CLI. */
export function generatedDatabase(dir: string, lines = 20_000): string {
  ensureBuilt();
  const log = join(dir, 'mail.log');
  const db = join(dir, 'bw.db');
  const gen = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist/scripts/gen-demo.js'), '--out', log, '--lines', String(lines), '--days', '3'],
    { encoding: 'utf8' },
  );
  if (gen.status !== 0) throw new Error(`gen-demo failed: ${gen.stderr}`);
  const ingest = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist/server/cli/bin.js'), 'ingest', '--db', db, log],
    { encoding: 'utf8' },
  );
  if (ingest.status !== 0) throw new Error(`ingest failed: ${ingest.stderr}`);
  return db;
}

/**
 * The server's start-up ends when it has asked its dashboard's queries once (warm-up.ts). The faults come after
 * it, as a liveness probe comes after a start-up probe: a fresh process compiling its code and reading cold pages
 * is not under load, and on a machine with no core to spare its first half second is not what is measured.
 */
export const STARTED = /dashboard queries warmed up/;

export interface Served {
  child: ChildProcessWithoutNullStreams;
  base: string;
  /** The server process's resident memory, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** `bouncewatch serve` on `db`, trusting 127.0.0.1 as a proxy so one test process can speak for many clients. */
export async function serve(db: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const port = await freePort();
  const child = startCli(['serve', '--db', db, '--port', String(port), '--bind', '127.0.0.1'], {
    env: { BOUNCEWATCH_TRUSTED_PROXIES: '127.0.0.1', BOUNCEWATCH_ALERTS: 'false', ...env },
    ownSession: true,
  });
  await waitForOutput(child, /dashboard on http:\/\/127\.0\.0\.1:\d+\//);
  await waitForOutput(child, STARTED);
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }
      });
    },
  };
}

export interface ProbeResult {
  probes: number;
  failures: number;
  /** What each failed probe got: a status or an error. */
  why: string[];
  /** Milliseconds of each probe that took 100 ms or more. */
  slow: number[];
  /**
   * For each slow probe: when it was sent (seconds after the prober started) and, given the server's pid, how
   * long the server's serving thread ran and how long it waited for a core meanwhile.
   */
  slowWhy: { atS: number; ranMs?: number; waitedMs?: number; proberWaitedMs?: number }[];
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Whether the prober runs above normal priority (it may not be allowed to). */
  raised: boolean;
}

/** How much the prober's priority is raised: it measures the server, not how long it waits for a core itself. */
const PROBER_NICE = -10;

/**
 * Asks /healthz every 20 ms on a fresh connection, from a process of its own (raised in priority where that is
 * allowed) so the load the test makes does not slow the measurement; each probe is timed from its request being
 * sent to its answer's end. Given the server's pid, a slow probe also records how long the server's serving
 * thread ran and waited for a core meanwhile (its own work, or a machine with no core to spare), and how long the
 * prober itself waited for one. `probing` resolves once the first probe is answered. stop() ends it
 * and returns what it saw; with BOUNCEWATCH_PROBE_LOG set, it also appends the result to that file as a JSON
 * line under `label`.
 */
export function startProber(
  base: string,
  label = 'probe',
  serverPid?: number,
): { probing: Promise<void>; stop(): Promise<ProbeResult> } {
  const script = `
    const http = require('node:http');
    const fs = require('node:fs');
    const result = { probes: 0, failures: 0, why: [], slow: [], slowWhy: [], maxMs: 0 };
    const times = [];
    const started = performance.now();
    let running = true;
    // The serving thread's CPU time and time spent waiting for a core (ns), from /proc, where there is a pid.
    const schedOf = (file) => {
      try {
        const [ran, waited] = fs.readFileSync(file, 'utf8').split(' ').map(Number);
        return { ran, waited };
      } catch { return null; }
    };
    const sched = () => schedOf(${JSON.stringify(`/proc/${serverPid ?? 0}/task/${serverPid ?? 0}/schedstat`)});
    // The prober's own wait for a core, which a probe's time includes too.
    const own = () => schedOf('/proc/thread-self/schedstat');
    const probe = () => {
      if (!running) return;
      let t0 = performance.now();
      let s0 = sched();
      let p0 = own();
      const req = http.get(${JSON.stringify(`${base}/healthz`)}, { agent: false, timeout: 2000 }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = performance.now() - t0;
          result.probes++;
          times.push(ms);
          if (res.statusCode !== 200) { result.failures++; result.why.push('status ' + res.statusCode); }
          if (ms >= 100) {
            result.slow.push(Math.round(ms));
            const s1 = sched();
            const p1 = own();
            result.slowWhy.push({
              atS: Math.round((t0 - started) / 100) / 10,
              ...(s0 && s1 ? { ranMs: Math.round((s1.ran - s0.ran) / 1e6), waitedMs: Math.round((s1.waited - s0.waited) / 1e6) } : {}),
              ...(p0 && p1 ? { proberWaitedMs: Math.round((p1.waited - p0.waited) / 1e6) } : {}),
            });
          }
          result.maxMs = Math.max(result.maxMs, ms);
          if (result.probes === 1) process.stderr.write('probing\\n');
          setTimeout(probe, 20);
        });
      });
      // The request is written once the connection is made: from then on the time is the server's.
      req.on('socket', (socket) => socket.once('connect', () => { t0 = performance.now(); s0 = sched(); p0 = own(); }));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => { result.probes++; result.failures++; result.why.push(err.message + ' after ' + Math.round(performance.now() - t0) + ' ms'); setTimeout(probe, 20); });
    };
    probe();
    process.stdin.resume();
    process.stdin.on('end', () => {
      running = false;
      times.sort((a, b) => a - b);
      const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
      result.p50Ms = at(0.5);
      result.p99Ms = at(0.99);
      result.maxMs = Math.round(result.maxMs);
      process.stdout.write(JSON.stringify(result));
      process.exit(0);
    });
  `;
  // In a session of its own too: it measures the server, not the test's load around it.
  const child = spawn(process.execPath, ['-e', script], { detached: true });
  endWithThisProcess(child);
  let raised = false;
  try {
    if (child.pid !== undefined) setPriority(child.pid, PROBER_NICE);
    raised = true;
  } catch {
    // Not allowed here (no CAP_SYS_NICE): it probes at normal priority.
  }
  try {
    // Where the kernel shares the CPU between sessions first (autogroup), its own session's weight is raised too.
    if (raised && child.pid !== undefined) writeFileSync(`/proc/${child.pid}/autogroup`, String(PROBER_NICE));
  } catch {
    // No autogroup here: the process's priority is all there is.
  }
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const probing = new Promise<void>((resolve, reject) => {
    child.stderr.once('data', () => resolve());
    child.once('exit', () => reject(new Error('the prober ended before its first answer')));
  });
  probing.catch(() => undefined);
  return {
    probing,
    stop: () =>
      new Promise((resolve, reject) => {
        child.once('exit', () => {
          try {
            const result = { ...(JSON.parse(out) as Omit<ProbeResult, 'raised'>), raised };
            const log = process.env['BOUNCEWATCH_PROBE_LOG'];
            if (log)
              appendFileSync(log, `${JSON.stringify({ label, ...result, why: result.why.slice(0, 5) })}\n`);
            resolve(result);
          } catch {
            reject(new Error(`the prober printed no result: ${out}`));
          }
        });
        child.stdin.end();
      }),
  };
}
