import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../../server/config-load.js';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface ComposeVolume {
  type?: string;
  source?: string;
  target?: string;
  read_only?: boolean;
}
interface ComposeService {
  user?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: (string | ComposeVolume)[];
  healthcheck?: { test?: string[] | string; interval?: string };
  read_only?: boolean;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** Short (`src:dst:ro`) and long volume syntax as one shape. */
interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  type: string;
}

function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v === 'string') {
      const [source = '', target = '', mode = ''] = v.split(':');
      return {
        source,
        target,
        readOnly: mode.split(',').includes('ro'),
        type: source.startsWith('/') || source.startsWith('.') ? 'bind' : 'volume',
      };
    }
    return {
      source: v.source ?? '',
      target: v.target ?? '',
      readOnly: v.read_only === true,
      type: v.type ?? 'volume',
    };
  });
}

describe('docker-compose.yml', () => {
  const compose = parseYaml(read('docker-compose.yml')) as Compose;
  const [name, service] = Object.entries(compose.services)[0]!;

  it('has one service', () => {
    expect(Object.keys(compose.services)).toEqual([name]);
  });

  it("mounts the host's /var/log read-only", () => {
    const logs = mounts(service).find((m) => m.source === '/var/log');
    expect(logs).toMatchObject({ type: 'bind', target: '/var/log', readOnly: true });
  });

  it('keeps the database in a declared named volume', () => {
    const data = mounts(service).find((m) => m.type === 'volume');
    expect(data).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
    const dbPath = service.environment?.['BOUNCEWATCH_DB'] ?? '';
    expect(dbPath.startsWith(`${data!.target}/`)).toBe(true);
  });

  it('checks /healthz', () => {
    const test = service.healthcheck?.test;
    expect([test].flat().join(' ')).toContain('/healthz');
    expect(service.healthcheck?.interval).toBeDefined();
  });

  it("publishes the port on the host's 127.0.0.1 only", () => {
    expect(service.ports?.length).toBeGreaterThan(0);
    for (const p of service.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('runs as a non-root user that keeps group adm', () => {
    expect(service.user).toBeDefined();
    expect(service.user).not.toMatch(/^(root|0)(:|$)/);
    expect(service.user).not.toContain(':');
  });

  it('binds 0.0.0.0 inside the container and makes the token mandatory', () => {
    expect(service.command?.join(' ')).toMatch(/--bind 0\.0\.0\.0/);
    expect(service.environment?.['BOUNCEWATCH_TOKEN']).toMatch(/^\$\{BOUNCEWATCH_TOKEN:\?/);
    expect(service.read_only).toBe(true);
  });
});

/** systemd unit file: section -> key -> every value given (keys may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 0) throw new Error(`not a unit line: ${line}`);
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('deploy/bouncewatch.service', () => {
  const unit = parseUnit(read('deploy/bouncewatch.service'));
  const service = unit.get('Service')!;
  const one = (key: string) => service.get(key)?.at(-1);

  it('runs bouncewatch run as its own user in group adm', () => {
    expect(one('User')).toBe('bouncewatch');
    expect(one('SupplementaryGroups')?.split(/\s+/)).toContain('adm');
    expect(one('ExecStart')).toMatch(/bin\.js run$/);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('is hardened and reads the log read-only', () => {
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('true');
    expect(one('NoNewPrivileges')).toBe('true');
    expect(one('PrivateTmp')).toBe('true');
    expect(service.get('ReadOnlyPaths')?.join(' ').split(/\s+/)).toContain('/var/log');
    expect(one('CapabilityBoundingSet')).toBe('');
    // V8 needs W+X pages: this one would crash node
    expect(service.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it('keeps the database in its StateDirectory', () => {
    const state = one('StateDirectory');
    expect(state).toBe('bouncewatch');
    const env = service.get('Environment') ?? [];
    expect(env).toContain(`BOUNCEWATCH_DB=/var/lib/${state}/bouncewatch.db`);
  });

  it('passes systemd-analyze verify where systemd is installed', () => {
    const which = spawnSync('sh', ['-c', 'command -v systemd-analyze']);
    if (which.status !== 0) return; // no systemd on this machine: the checks above still hold
    const dir = mkdtempSync(join(tmpdir(), 'bw-unit-'));
    try {
      writeFileSync(join(dir, 'bouncewatch.service'), read('deploy/bouncewatch.service'));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'bouncewatch.service')], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      const complaints = `${r.stdout}${r.stderr}`
        .split('\n')
        .filter(
          (l) => l.includes('bouncewatch.service') && !/Command .* is not executable|not found/.test(l),
        );
      expect(complaints).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile').replace(/\\\n/g, ' ');
  const stages = text.split(/^FROM /m).slice(1);

  it('builds in two stages on node:20-bookworm-slim, compilers only in the first', () => {
    expect(stages).toHaveLength(2);
    for (const s of stages) expect(s).toMatch(/^node:20-bookworm-slim\b/);
    expect(stages[0]).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(stages[1]).not.toMatch(/g\+\+|python3/);
    expect(stages[1]).toMatch(/COPY --from=build/);
  });

  it('runs bouncewatch run as a non-root user in group adm, with a /healthz check', () => {
    const runtime = stages[1]!;
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1] ?? '';
    expect(user).not.toBe('');
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // user:group would drop the supplementary groups, adm among them
    expect(user).not.toContain(':');
    expect(runtime).toMatch(/useradd[^\n]*--groups adm/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\/healthz/m);
    expect(runtime).toMatch(/^CMD \[\s*"run"/m);
  });

  it('has a .dockerignore that keeps local state and secrets out', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', '.git', '*.db', '.env', 'dist']) expect(ignored).toContain(entry);
  });
});

describe('configuration examples', () => {
  it('deploy/config.example.yaml is valid', () => {
    const config = loadConfig({ file: join(root, 'deploy/config.example.yaml'), env: {} });
    expect(config.notify.webhooks.map((w) => w.format)).toEqual(['json', 'slack']);
    expect(config.db).toBe('/var/lib/bouncewatch/bouncewatch.db');
  });

  it('every config example in docs/deploy.md is valid', () => {
    const docs = read('docs/deploy.md');
    const blocks = [...docs.matchAll(/```yaml\n(# bouncewatch config[^\n]*\n[\s\S]*?)```/g)].map(
      (m) => m[1]!,
    );
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = mkdtempSync(join(tmpdir(), 'bw-docs-'));
    try {
      blocks.forEach((block, i) => {
        const file = join(dir, `example-${i}.yaml`);
        writeFileSync(file, block);
        expect(() => loadConfig({ file, env: {} })).not.toThrow();
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the env example names only variables the loader reads', () => {
    const names = [...read('deploy/env.example').matchAll(/^#?\s*(BOUNCEWATCH_[A-Z_]+)=/gm)].map(
      (m) => m[1]!,
    );
    expect(names.length).toBeGreaterThan(0);
    const loader = read('server/config-load.ts');
    for (const n of names) expect(loader).toContain(`'${n}'`);
    expect(existsSync(join(root, 'deploy/bouncewatch.service'))).toBe(true);
  });
});
