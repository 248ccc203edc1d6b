// Jest (CommonJS mode) cannot require() an ES module on Node 20. The @nestjs 12 packages are
// ES modules, so the tests turn them into CommonJS on the way in, as Node's require(esm)
// lets the built server load them as they are.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const SELF = readFileSync(__filename, 'utf8');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(SELF).update(ts.version).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const esm = source
      // CommonJS has a `require` of its own, resolved from the same file.
      .replace(/^(const|let|var)\s+require\s*=\s*createRequire\(import\.meta\.url\);?$/m, '')
      .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href')
      .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
      .replace(/\bimport\.meta\.filename\b/g, '__filename')
      // Resolving a package without loading it (terminus checks its optional peers so).
      .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(');
    const { outputText } = ts.transpileModule(esm, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true },
    });
    return { code: outputText };
  },
};
