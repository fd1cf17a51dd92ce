// A CommonJS host using the built packages (run by built-output.test.ts after `pnpm build`).
require('reflect-metadata');
const { KYC_TOKENS, isKycError } = require('@kycport/core');
const { createKycContainer, resolveKyc } = require('@kycport/container');

(async () => {
  const container = createKycContainer({ provider: 'fake' });
  const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const created = await kyc.createUser({
    applicant: {
      externalId: 'cjs-1',
      name: { given: 'Jane', family: 'Doe' },
      email: 'jane@example.com',
      termsAccepted: true,
    },
  });
  console.log(
    JSON.stringify({
      format: 'cjs',
      provider: kyc.id,
      status: created.state.status,
      guard: typeof isKycError,
    }),
  );
})();
