// A TypeScript host under `module: nodenext`, compiled as an ES module (.mts -> .mjs): named imports
// from the CommonJS packages, typed input and results, create -> getStatus against the simulator.
import { KYC_TOKENS, KycException } from '@kycport/core';
import type { KycResult, PromiseKycProvider } from '@kycport/core';
import { closeKycContainer, createKycContainerFromEnv, resolveKyc } from '@kycport/container';
import { input } from './applicant.mjs';

const container = createKycContainerFromEnv(process.env);
try {
  const kyc: PromiseKycProvider = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const created: KycResult = await kyc.createUser(input);
  const status = await kyc.getStatus(created.userRef);
  console.log(
    JSON.stringify({
      host: 'nodenext-esm',
      provider: kyc.id,
      userRef: created.userRef,
      created: created.state.status,
      next: created.state.nextAction.type,
      status: status.state.status,
    }),
  );
} catch (error: unknown) {
  const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
  console.log(JSON.stringify({ host: 'nodenext-esm', error: { kind, message: String(error) } }));
  process.exitCode = 1;
} finally {
  closeKycContainer(container);
}
