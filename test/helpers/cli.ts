/** Helpers for tests that run the built CLI as a user would. */

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import type { CliIo } from '../../server/cli/command.js';

export const repoRoot = join(import.meta.dirname, '../..');
const binPath = join(repoRoot, 'dist/server/cli/bin.js');

/** Builds dist/ when it is missing or older than the sources (same rule as npm start). */
export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--if-stale'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !existsSync(binPath)) throw new Error('build failed');
}

export function runCli(
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything each started child has written to stderr so far, so no wait can miss a line. */
const stderrSeen = new WeakMap<ChildProcessWithoutNullStreams, { text: string }>();

/** Children started in a session of their own: not in this process's group, so ended here when it exits. */
const ownSessions = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of ownSessions) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Ends a child started in a session of its own if this process exits first. */
export function endWithThisProcess(child: ChildProcessWithoutNullStreams): void {
  ownSessions.add(child);
  child.once('exit', () => ownSessions.delete(child));
}

export function startCli(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    /**
     * Starts it in a session of its own, as a service manager starts a daemon: where the kernel groups CPU time
     * by session (autogroup), the server is then weighed apart from the test's own load.
     */
    ownSession?: boolean;
  } = {},
) {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    ...(options.ownSession ? { detached: true } : {}),
  });
  if (options.ownSession) endWithThisProcess(child);
  const seen = { text: '' };
  stderrSeen.set(child, seen);
  child.stderr.on('data', (chunk: Buffer) => {
    seen.text += chunk.toString();
  });
  return child;
}

/** Waits until the child's stderr (from its start) matches, or fails with what it printed. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs = 30_000) {
  const seen = stderrSeen.get(child) ?? { text: '' };
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = () => seen.text.match(pattern);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      child.stderr.off('data', onData);
      child.off('exit', onExit);
      fn();
    };
    const onData = () => {
      // Runs after the buffering listener added at start, so the text is complete.
      const m = check();
      if (m) done(() => resolve(m));
    };
    const onExit = (code: number | null) => {
      done(() =>
        reject(new Error(`exited with ${String(code)} before ${String(pattern)}; output:\n${seen.text}`)),
      );
    };
    const timer = setTimeout(() => {
      done(() => reject(new Error(`timed out waiting for ${String(pattern)}; output:\n${seen.text}`)));
    }, timeoutMs);
    const m = check();
    if (m) {
      done(() => resolve(m));
      return;
    }
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
    srv.on('error', reject);
  });
}

export function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
}

/** A CliIo in memory, for calling commands in-process: stdin from a string, stdout and stderr collected. */
export function memoryIo(stdin = '', env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = { stdin: Readable.from([stdin]), stdout, stderr, env };
  return { io, out: () => out, err: () => err };
}
