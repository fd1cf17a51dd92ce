/** A host using Plu alone: `createPluProvider`, no container (bundled by ../bundle-size.ts). */
import { toPromiseProvider } from '@kycport/core';
import { createPluProvider } from '@kycport/plu';
import { hostApplicant, hostConfig, runHost } from './host-io';

runHost(async () => {
  const provider = toPromiseProvider(createPluProvider(hostConfig()));
  const created = await provider.createUser(hostApplicant('bundle-plu-host'));
  const status = await provider.getStatus(created.userRef);
  return [`createUser: ${created.state.status}`, `getStatus: ${status.state.status}`];
});
