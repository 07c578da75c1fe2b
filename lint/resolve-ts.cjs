// Resolves our own relative imports for the folder zones in eslint.config.js: TypeScript source names
// `./x.ts` as `./x.js`. Packages and node: builtins stay unresolved; the zones classify them by name.
'use strict';
const { statSync } = require('node:fs');
const path = require('node:path');

const isFile = (p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true;

exports.interfaceVersion = 2;
exports.resolve = (source, file) => {
  if (!source.startsWith('.')) return { found: false };
  const target = path.resolve(path.dirname(file), source);
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, path.join(target, 'index.ts')];
  const found = candidates.find(isFile);
  return found ? { found: true, path: found } : { found: false };
};
