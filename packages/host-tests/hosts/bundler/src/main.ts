// A TypeScript host under `moduleResolution: bundler` (what Vite, esbuild or tsx users have): checked
// with `tsc --noEmit`, then run as a bundle that keeps the packages external, so the container loads
// the configured adapter by its package name from node_modules.
import { KYC_TOKENS, KycException } from '@kycport/core';
import { closeKycContainer, createKycContainerFromEnv, resolveKyc } from '@kycport/container';
import { applicant } from './applicant';

const container = createKycContainerFromEnv(process.env);
try {
  const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const created = await kyc.createUser(applicant('host-bundler'));
  const status = await kyc.getStatus(created.userRef);
  console.log(
    JSON.stringify({
      host: 'bundler',
      provider: kyc.id,
      userRef: created.userRef,
      created: created.state.status,
      next: created.state.nextAction.type,
      status: status.state.status,
    }),
  );
} catch (error: unknown) {
  const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
  console.log(JSON.stringify({ host: 'bundler', error: { kind, message: String(error) } }));
  process.exitCode = 1;
} finally {
  closeKycContainer(container);
}
