// Folder zones for ESLint: which layer may import which, decided on the resolved file, so that no
// relative path (however deep) and no re-export sidesteps a rule. docs/design.md draws the layers.
import boundaries from 'eslint-plugin-boundaries';

// First match wins, so the narrow zones come before the folder that holds them.
const elements = [
  { type: 'parsers', pattern: 'parsers/**', mode: 'full' },
  { type: 'classify', pattern: 'classify/**', mode: 'full' },
  { type: 'db', pattern: 'db/**', mode: 'full' },
  { type: 'contract', pattern: ['server/http/contract*', 'server/http/contract*/**'], mode: 'full' },
  { type: 'http', pattern: 'server/http/**', mode: 'full' },
  { type: 'server', pattern: 'server/**', mode: 'full' },
  { type: 'web', pattern: 'web/**', mode: 'full' },
  { type: 'scripts', pattern: 'scripts/**', mode: 'full' },
  { type: 'test', pattern: 'test/**', mode: 'full' },
];

const el = (...types) => ({ element: { types: { anyOf: types } } });
const core = { module: { origin: 'core' } };
const packages = (...names) => ({ module: { origin: 'external', source: names } });
const anyPackage = { module: { origin: 'external' } };
const typeOnly = { kind: 'type' };

const anything = [{ element: { type: '*' } }, core, anyPackage];

/**
 * Each zone lists what it may import; everything else is refused with the zone's message (the last
 * matching policy decides, so the refusal comes first and the allowances after it).
 */
const zonePolicies = [
  {
    from: el('parsers'),
    allow: { to: el('parsers') },
    message: 'parsers are pure: they import nothing of ours, no node: module and no package',
  },
  {
    from: el('classify'),
    allow: [{ to: el('classify') }, { to: el('parsers'), dependency: typeOnly }],
    message: 'the classifier is pure: it may import only the parsers\u2019 types (import type)',
  },
  {
    from: el('db'),
    allow: [{ to: el('db', 'parsers', 'classify') }, { to: core }, { to: packages('better-sqlite3', 'pg') }],
    message: 'db/ is the store: it knows the records and the classifier, never the server or the web UI',
  },
  {
    from: el('contract'),
    allow: [
      { to: el('contract') },
      { to: el('db', 'parsers', 'classify'), dependency: typeOnly },
      { to: packages('zod') },
    ],
    message: 'the HTTP contract is imported by the web UI: it holds schemas and types, nothing that runs',
  },
  {
    from: el('http'),
    allow: [
      { to: el('http', 'contract', 'server', 'parsers', 'classify') },
      // Routes ask server/services/, which read the store: of db/ they see only types.
      { to: el('db'), dependency: typeOnly },
      { to: core },
      { to: anyPackage },
    ],
    message: 'HTTP routes ask server/services/, which read the store: no db/ import in server/http/',
  },
  {
    from: el('server'),
    allow: [
      { to: el('server', 'http', 'contract', 'db', 'parsers', 'classify') },
      { to: core },
      { to: anyPackage },
    ],
    message: 'the server composes parsers, classify and db; it never imports the web UI or scripts/',
  },
  {
    from: el('web'),
    allow: [{ to: el('web') }, { to: el('contract'), dependency: typeOnly }, { to: packages('chart.js') }],
    message: 'the web UI talks to the server over HTTP: it may only `import type` from server/http/contract',
  },
  {
    from: el('scripts'),
    allow: [
      { to: el('scripts', 'server', 'http', 'contract', 'db', 'parsers', 'classify') },
      { to: core },
      { to: anyPackage },
    ],
    message: 'scripts may use the product, not the tests',
  },
  {
    from: el('test'),
    allow: [{ to: el('*') }, { to: core }, { to: anyPackage }],
  },
];

const policies = zonePolicies.flatMap(({ from, allow, message }) =>
  message
    ? [
        { from, disallow: { to: anything }, message: `'{{dependency.source}}': ${message}` },
        { from, allow },
      ]
    : [{ from, allow }],
);

export const zones = {
  files: ['**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': elements,
    'boundaries/legacy-warnings': false,
    // Re-exports and import() are dependencies too: neither may carry a layer across a zone.
    'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
    // The resolver sees `./x.js` in our TypeScript source as `./x.ts`, so every import lands in a zone.
    'import/resolver': { './lint/resolve-ts.cjs': {} },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies },
    ],
  },
};
