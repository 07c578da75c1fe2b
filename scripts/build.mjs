// Builds everything `npm start` and the tests need: the TypeScript to dist/, the migrations beside
// it, the web bundle (chart.js included) and the bundled demo log.
//   --if-stale  skip when dist/ is newer than every source file
//   --watch     rebuild the server and the web bundle on change
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = new Set(process.argv.slice(2));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const sourceDirs = ['parsers', 'classify', 'db', 'server', 'scripts', 'web'];

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (args.has('--if-stale') && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  const sources = Math.max(
    ...sourceDirs.map((d) => newestMtime(join(root, d))),
    statSync(join(root, 'package.json')).mtimeMs,
  );
  if (sources <= built) process.exit(0);
}

function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${cmd} ${argv.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
const esbuild = await import('esbuild');

mkdirSync(join(dist, 'web'), { recursive: true });
const webOptions = {
  entryPoints: [join(root, 'web/src/main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: join(dist, 'web/app.js'),
  logLevel: 'warning',
};

function copyStatic() {
  mkdirSync(join(dist, 'db/migrations'), { recursive: true });
  cpSync(join(root, 'db/migrations'), join(dist, 'db/migrations'), { recursive: true });
  cpSync(join(root, 'web/public'), join(dist, 'web'), { recursive: true });
}

if (args.has('--watch')) {
  copyStatic();
  const ctx = await esbuild.context(webOptions);
  await ctx.watch();
  spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'inherit',
  });
} else {
  run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  copyStatic();
  await esbuild.build(webOptions);
  // The demo log shown when no /var/log/mail.log is readable: deterministic traffic ending today.
  run(process.execPath, [
    join(dist, 'scripts/gen-demo.js'),
    '--out',
    join(dist, 'demo/mail.log'),
    '--days',
    '7',
  ]);
  mkdirSync(dist, { recursive: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(stamp, new Date().toISOString() + '\n');
}
