/**
 * Issue 12: the P100 simulator's defaults follow the documents, and each behaviour the documents
 * leave open is a configurable variant (docs/simulators/p100.md, "Rules and their sources").
 * - Method B with the data step by default (kyc-by-p100 step 5: "Once the documents have been
 *   accepted, submit the textual document data via Add User Verification").
 * - What Get KYC Status shows while P100 processes document data it received (undocumented):
 *   `documentDataProcessing` 'pending' (default) | 'unchanged' | 'immediate'.
 * - P430 is documented on Add User Verification only (p100-add-user-verification.txt); what
 *   `POST /v1/kyc` answers after many attempts is open: `startVerificationCap` 'allow' (default) |
 *   'P430' | 'other_code'.
 */
import { startP100Simulator } from '../../src/p100';
import type { P100Simulator, P100SimulatorOptions } from '../../src/p100';
import { call, createUserBody, documentDataBody, filesForm, startVerificationBody } from './support';

let counter = 0;
const nextId = (label: string) => `${label}-${(counter += 1)}`;

async function withSimulator(
  options: P100SimulatorOptions,
  run: (sim: P100Simulator) => Promise<void>,
): Promise<void> {
  const sim = await startP100Simulator(options);
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
}

/** A created user with a started hosted verification. */
async function started(sim: P100Simulator): Promise<string> {
  const id = nextId('variant');
  expect(
    (await call(sim.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', createUserBody(id))).status,
  ).toBe(201);
  expect((await call(sim.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id))).status).toBe(201);
  return id;
}

const statusOf = async (sim: P100Simulator, id: string) =>
  (await call(sim.baseUrl, 'GET', `/v1/kyc/status/${id}`)).json;
const sendData = (sim: P100Simulator, id: string) =>
  call(sim.baseUrl, 'POST', '/v1/user/verification', documentDataBody(id, nextId('DOC')));
const deliveries = (sim: P100Simulator) => sim.webhookDeliveries.map((delivery) => delivery.body);

describe('P100 simulator defaults: Method B with the document data step', () => {
  it('stops an accepted capture at NOT_VERIFIED/SUCCESSFUL; the data starts P100 processing (PENDING) until its verdict', async () => {
    await withSimulator({}, async (sim) => {
      const id = await started(sim);
      await sim.completeHostedFlow(id, 'approved');
      expect(await statusOf(sim, id)).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
      expect((await sendData(sim, id)).status).toBe(201);
      expect(await statusOf(sim, id)).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
      await sim.completeHostedFlow(id, 'approved');
      expect(await statusOf(sim, id)).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
      await sim.webhooksIdle();
      expect(deliveries(sim)).toEqual([
        { externalUserId: id, verificationStatus: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' },
        { externalUserId: id, verificationStatus: 'VERIFIED', attemptStatus: 'SUCCESSFUL' },
        { externalUserId: id, status: 'ACTIVE' },
      ]);
      // The data step does not start a new verification: the attempts stay at the one start.
      expect(sim.users().find((user) => user.ref === id)?.attempts).toBe(1);
    });
  });

  it('does not cap POST /v1/kyc (P430 is documented on Add User Verification only)', async () => {
    await withSimulator({ maxVerificationAttempts: 2 }, async (sim) => {
      const id = await started(sim);
      for (let attempt = 2; attempt <= 4; attempt += 1) {
        await sim.completeHostedFlow(id, 'denied');
        expect((await call(sim.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id))).status).toBe(201);
      }
      expect(sim.users().find((user) => user.ref === id)?.attempts).toBe(4);
    });
  });

  it('answers P430 on Add User Verification once the Method A reviews reach the cap', async () => {
    await withSimulator({ maxVerificationAttempts: 1 }, async (sim) => {
      const id = nextId('method-a');
      await call(sim.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', createUserBody(id));
      const upload = () =>
        call(sim.baseUrl, 'POST', `/v1/user/kyc-files/${id}`, filesForm([{ type: 'image/jpeg', size: 8 }]));
      await upload();
      expect((await sendData(sim, id)).status).toBe(201);
      await sim.completeHostedFlow(id, 'denied');
      await upload();
      const capped = await sendData(sim, id);
      expect([capped.status, capped.json]).toEqual([400, expect.objectContaining({ errorCode: 'P430' })]);
    });
  });
});

describe('P100 simulator variants', () => {
  it("documentDataProcessing 'unchanged': the read stays NOT_VERIFIED/SUCCESSFUL until the verdict", async () => {
    await withSimulator({ documentDataProcessing: 'unchanged' }, async (sim) => {
      const id = await started(sim);
      await sim.completeHostedFlow(id, 'approved');
      expect((await sendData(sim, id)).status).toBe(201);
      expect(await statusOf(sim, id)).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
      await sim.completeHostedFlow(id, 'approved');
      expect(await statusOf(sim, id)).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    });
  });

  it("documentDataProcessing 'immediate': the data verifies the user at once", async () => {
    await withSimulator({ documentDataProcessing: 'immediate' }, async (sim) => {
      const id = await started(sim);
      await sim.completeHostedFlow(id, 'approved');
      expect((await sendData(sim, id)).status).toBe(201);
      expect(await statusOf(sim, id)).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    });
  });

  it('requireDocumentData: false (the old default) verifies on the accepted capture', async () => {
    await withSimulator({ requireDocumentData: false }, async (sim) => {
      const id = await started(sim);
      await sim.completeHostedFlow(id, 'approved');
      expect(await statusOf(sim, id)).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
    });
  });

  it.each([
    [
      'P430',
      { errorCode: 'P430', errorName: 'too-many-verifications', errorMessage: 'Too many verifications' },
    ],
    ['other_code', expect.objectContaining({ errorCode: 'P499' })],
  ] as const)("startVerificationCap '%s': the start after the cap is refused so", async (cap, body) => {
    await withSimulator({ maxVerificationAttempts: 1, startVerificationCap: cap }, async (sim) => {
      const id = await started(sim);
      await sim.completeHostedFlow(id, 'denied');
      const capped = await call(sim.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id));
      expect([capped.status, capped.json]).toEqual([400, body]);
      expect(sim.users().find((user) => user.ref === id)?.attempts).toBe(1);
    });
  });
});
