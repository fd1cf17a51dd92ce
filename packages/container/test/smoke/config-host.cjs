// A CommonJS host with its own DI: only `@kycport/container/config` (run by config-subpath.test.ts
// after `pnpm build`). Prints what it built and every module request or loaded file naming
// inversify. `node config-host.cjs @kycport/container` loads the main entry instead (the control).
const Module = require('node:module');

const requested = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/inversify/.test(request)) requested.push(request);
  return load.call(this, request, ...rest);
};
const { tryBuildKyc, kycConfigFromEnv } = require(process.argv[2] ?? '@kycport/container/config');

(async () => {
  const fromEnv = kycConfigFromEnv({ KYC_PROVIDER: 'fake' });
  if (fromEnv._tag !== 'Right') throw new Error('expected a configuration from the environment');
  const built = tryBuildKyc(fromEnv.right);
  if (built._tag !== 'Right') throw new Error('expected an adapter');
  const created = await built.right.provider.createUser({
    applicant: {
      externalId: 'config-1',
      name: { given: 'Jane', family: 'Doe' },
      email: 'jane@example.com',
      termsAccepted: true,
    },
  })();
  built.right.close();
  const files = Object.keys(require.cache).filter((file) => /[\\/]@?inversify/.test(file));
  console.log(
    JSON.stringify({
      provider: built.right.provider.id,
      created: created._tag,
      loaded: Object.keys(require.cache).length,
      inversify: [...requested, ...files],
    }),
  );
})();
