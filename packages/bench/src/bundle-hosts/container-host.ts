/**
 * A host using the container with one adapter registered explicitly (bundled by ../bundle-size.ts):
 * the bundler path, since a bundle cannot load an adapter by a package name computed at run time.
 */
import { KYC_TOKENS } from '@kycport/core';
import { createKycContainer, resolveKyc } from '@kycport/container';
import { pluAdapter } from '@kycport/plu';
import { hostApplicant, hostConfig, runHost } from './host-io';

runHost(async () => {
  const container = createKycContainer({ provider: 'plu', plu: hostConfig() }, { adapters: [pluAdapter] });
  const kyc = resolveKyc(container, KYC_TOKENS.PromiseKycProvider);
  const created = await kyc.createUser(hostApplicant('bundle-container-host'));
  const status = await kyc.getStatus(created.userRef);
  return [`createUser: ${created.state.status}`, `getStatus: ${status.state.status}`];
});
