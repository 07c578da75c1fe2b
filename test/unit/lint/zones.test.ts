// The folder zones of eslint.config.js refuse wrong-way imports, however deep the relative path.
// Each probe is linted as if it sat at its path, with the repository's own config; type-aware rules
// are switched off because the probe files exist only in memory.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }],
});

/** The zone errors for `code` placed at `path` (relative to the repository). */
async function zoneErrors(path: string, code: string): Promise<string[]> {
  // A probe whose target has moved would be refused as unknown, for the wrong reason.
  for (const [, specifier] of code.matchAll(/(?:from |import\()'(\.[^']+)'/g)) {
    const target = join(root, dirname(path), specifier!.replace(/\.js$/, '.ts'));
    if (!existsSync(target)) throw new Error(`probe target ${target} does not exist`);
  }
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  if (!result) throw new Error('ESLint returned no result');
  const fatal = result.messages.filter((m) => m.fatal === true);
  if (fatal.length > 0) throw new Error(fatal.map((m) => m.message).join('\n'));
  return result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

interface Probe {
  path: string;
  code: string;
  why: string;
}

const refused: Probe[] = [
  {
    path: 'web/src/pages/zz-probe.ts',
    code: "import { openDatabase } from '../../../db/sqlite/open.js';\nexport const x = openDatabase;\n",
    why: 'the web UI reaching into the store three folders up',
  },
  {
    path: 'web/src/pages/zz-probe.ts',
    code: "import { errorSchema } from '../../../server/http/contract/common.js';\nexport const x = errorSchema;\n",
    why: 'the web UI importing a value (not a type) from the contract',
  },
  {
    path: 'web/src/zz-probe.ts',
    code: "export { classify } from '../../classify/index.js';\n",
    why: 'the web UI re-exporting the classifier',
  },
  {
    path: 'parsers/zz-probe.ts',
    code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    why: 'a parser doing I/O',
  },
  {
    path: 'parsers/zz-probe.ts',
    code: "import type { Classification } from '../classify/types.js';\nexport type X = Classification;\n",
    why: 'a parser importing even a type of ours',
  },
  {
    path: 'classify/zz-probe.ts',
    code: "import { parsePostfix } from '../parsers/postfix.js';\nexport const x = parsePostfix;\n",
    why: 'the classifier importing parser code, not types',
  },
  {
    path: 'db/sqlite/read/zz-probe.ts',
    code: "import { createLogger } from '../../../server/log.js';\nexport const x = createLogger;\n",
    why: 'the store importing the server from a sub-folder',
  },
  {
    path: 'server/http/routes/zz-probe.ts',
    code: "import type { BenchRow } from '../../../scripts/bench/types.js';\nexport type X = BenchRow;\n",
    why: 'product code importing scripts/',
  },
  {
    path: 'db/zz-probe.ts',
    code: "export const load = () => import('../web/src/format.js');\n",
    why: 'a dynamic import across zones',
  },
];

const allowed: Probe[] = [
  {
    path: 'web/src/pages/zz-probe.ts',
    code: "import type { OutcomeName } from '../../../server/http/contract/common.js';\nexport type X = OutcomeName;\n",
    why: 'the web UI importing a type from the contract',
  },
  {
    path: 'classify/zz-probe.ts',
    code: "import type { Outcome } from '../parsers/types.js';\nexport type X = Outcome;\n",
    why: 'the classifier importing a parser type',
  },
  {
    path: 'server/ingest/zz-probe.ts',
    code: "import { openDatabase } from '../../db/sqlite/open.js';\nexport const x = openDatabase;\n",
    why: 'the server opening the store',
  },
];

describe('lint zones', () => {
  it.each(refused)('refuses $why ($path)', async ({ path, code }) => {
    expect(await zoneErrors(path, code)).toHaveLength(1);
  });

  it.each(allowed)('allows $why ($path)', async ({ path, code }) => {
    expect(await zoneErrors(path, code)).toEqual([]);
  });
});
