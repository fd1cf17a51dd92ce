// A host made to be bundled whole (esbuild, platform node) and deployed without node_modules: it
// picks its provider from the environment (KYC_PROVIDER) among the adapters it registers explicitly,
// since a bundle cannot load a package by a name computed at run time.
// HOST_ADAPTERS=none registers none, to show what the container then says.
import { KYC_TOKENS, KycException } from '@kycport/core';
import { closeKycContainer, createKycContainerFromEnv, resolveKyc } from '@kycport/container';
import { p100Adapter } from '@kycport/p100';
import { plaidAdapter } from '@kycport/plaid';
import { pluAdapter } from '@kycport/plu';
import { applicant } from './applicant';

const adapters = process.env['HOST_ADAPTERS'] === 'none' ? [] : [pluAdapter, p100Adapter, plaidAdapter];
const host = process.env['HOST_NAME'] ?? 'bundle';

async function main(): Promise<Record<string, unknown>> {
  const container = createKycContainerFromEnv(process.env, { adapters });
  try {
    const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
    const created = await kyc.createUser(applicant(`host-${host}`));
    const status = await kyc.getStatus(created.userRef);
    return {
      provider: kyc.id,
      userRef: created.userRef,
      created: created.state.status,
      next: created.state.nextAction.type,
      status: status.state.status,
    };
  } finally {
    closeKycContainer(container);
  }
}

main().then(
  (result) => console.log(JSON.stringify({ host, ...result })),
  (error: unknown) => {
    const kind = KycException.isInstance(error) ? error.error.kind : 'thrown';
    const message = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ host, error: { kind, message } }));
    process.exitCode = 1;
  },
);
