// A CommonJS Nest host using the built @kycport/nestjs (run by built-output.test.ts after
// `pnpm build`): forRootAsync with the fake adapter, then every module request or loaded file that
// names inversify.
const Module = require('node:module');

const requested = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/inversify/.test(request)) requested.push(request);
  return load.call(this, request, ...rest);
};

const { NestFactory } = require('@nestjs/core');
const { KYC_NEST_TOKENS, KycModule } = require('@kycport/nestjs');

(async () => {
  const root = KycModule.forRootAsync({ useFactory: async () => ({ env: { KYC_PROVIDER: 'fake' } }) });
  const app = await NestFactory.create(root, { rawBody: true, logger: false });
  await app.init();
  const kyc = app.get(KYC_NEST_TOKENS.PromiseKycProvider);
  const created = await kyc.createUser({
    applicant: {
      externalId: 'nest-1',
      name: { given: 'Jane', family: 'Doe' },
      email: 'j@example.com',
      termsAccepted: true,
    },
  });
  await app.close();
  const files = Object.keys(require.cache).filter((file) => /[\\/]@?inversify/.test(file));
  console.log(
    JSON.stringify({ provider: kyc.id, status: created.state.status, inversify: [...requested, ...files] }),
  );
})();
