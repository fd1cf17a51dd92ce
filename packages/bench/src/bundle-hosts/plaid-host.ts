/** A host using Plaid alone: `createPlaidProvider`, no container (bundled by ../bundle-size.ts). */
import { toPromiseProvider } from '@kycport/core';
import { createPlaidProvider } from '@kycport/plaid';
import { hostApplicant, hostConfig, runHost } from './host-io';

runHost(async () => {
  const provider = toPromiseProvider(createPlaidProvider(hostConfig()));
  const created = await provider.createUser(hostApplicant('bundle-plaid-host'));
  const status = await provider.getStatus(created.userRef);
  return [`createUser: ${created.state.status}`, `getStatus: ${status.state.status}`];
});
