// Transpiles the ESM-only packages jest loads (ESM_ONLY_PACKAGES in jest.config.ts) to CommonJS
// with ts-jest, first replacing `import.meta.url` (a syntax error in CommonJS; TypeScript leaves it
// as is) with the CommonJS equivalent. @nestjs/common 12 uses it in utils/load-package.util.js.
const { TsJestTransformer } = require('ts-jest');

const IMPORT_META_URL = /\bimport\.meta\.url\b/g;
const COMMONJS_URL = "require('node:url').pathToFileURL(__filename).href";
const rewrite = (source) =>
  source.includes('import.meta') ? source.replace(IMPORT_META_URL, COMMONJS_URL) : source;

module.exports = {
  createTransformer(options) {
    const inner = new TsJestTransformer(options);
    return {
      canInstrument: inner.canInstrument,
      getCacheKey: (source, path, config) => inner.getCacheKey(rewrite(source), path, config),
      process: (source, path, config) => inner.process(rewrite(source), path, config),
    };
  },
};
