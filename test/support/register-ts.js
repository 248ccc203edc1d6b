// Lets a child process run the tests' TypeScript as it is (`node -r ./test/support/register-ts.js x.ts`),
// as a host gateway runs its own code: .ts files are transpiled on load, and `unipay-sync`
// resolves to this project's src/index.ts. The @nestjs packages load natively (require(esm)).
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const ts = require('typescript');

const PACKAGE_ENTRY = join(__dirname, '..', '..', 'src', 'index.ts');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === 'unipay-sync' ? PACKAGE_ENTRY : request, ...rest);
};

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  esModuleInterop: true,
};

Module._extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { fileName: filename, compilerOptions });
  module._compile(outputText, filename);
};
