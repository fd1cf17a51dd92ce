/**
 * A host using P100 alone: `createP100Provider`, no container (bundled by ../bundle-size.ts). Its
 * flow uploads files (multipart, a spec `FormData`): the path the form-data stub must keep working.
 */
import { toPromiseProvider } from '@kycport/core';
import type { VerificationFile } from '@kycport/core';
import { createP100Provider } from '@kycport/p100';
import { hostApplicant, hostConfig, runHost } from './host-io';

const file = (purpose: VerificationFile['purpose'], fileName: string, contentType: string, size: number) => ({
  purpose,
  fileName,
  contentType,
  data: new Uint8Array(size).map((_, index) => index % 251),
});

runHost(async () => {
  const provider = toPromiseProvider(createP100Provider(hostConfig()));
  const created = await provider.createUser(hostApplicant('bundle-p100-host'));
  const submitted = await provider.submitVerification(created.userRef, {
    document: { type: 'passport' },
    files: [
      file('document_front', 'passport.jpg', 'image/jpeg', 2048),
      file('selfie', 'selfie.png', 'image/png', 1024),
      file('proof_of_address', 'bill.pdf', 'application/pdf', 512),
    ],
  });
  const status = await provider.getStatus(created.userRef);
  return [
    `createUser: ${created.state.status}`,
    `submitVerification: ${submitted.state.status}`,
    `getStatus: ${status.state.status}`,
  ];
});
