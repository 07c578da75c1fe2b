/**
 * The writer thread's worker, built from the sources for tests: vitest runs TypeScript in its own process, but a
 * worker thread runs plain JavaScript. db/ is transpiled file by file (esbuild, no bundling) into a temporary
 * folder that mirrors the repository, so the worker finds its migrations beside it as it does in dist/.
 */

import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './cli.js';

export interface SourceWorker {
  /** The worker script to hand to startWriterThread. */
  script: string;
  remove(): void;
}

export async function buildWriterWorker(): Promise<SourceWorker> {
  const out = mkdtempSync(join(tmpdir(), 'bw-writer-worker-'));
  await build({
    entryPoints: [join(repoRoot, 'db/**/*.ts')],
    outdir: out,
    outbase: repoRoot,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  mkdirSync(join(out, 'db/sqlite/migrations'), { recursive: true });
  cpSync(join(repoRoot, 'db/sqlite/migrations'), join(out, 'db/sqlite/migrations'), { recursive: true });
  // ES modules, and better-sqlite3 found where the repository has it.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repoRoot, 'node_modules'), join(out, 'node_modules'));
  return {
    script: join(out, 'db/sqlite/write/writer-worker.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
