/**
 * Issue 12: the adapter against every variant of the P100 simulator (docs/simulators/p100.md,
 * "Rules and their sources"): the behaviours P100's documents leave open are each configured, and
 * the tests assert what the simulator saw (its requests and users), not only what the host got.
 */
import { startP100Simulator } from '@kycport/simulators';
import type { P100Simulator, P100SimulatorOptions } from '@kycport/simulators';
import type { KycProvider, SubmitVerificationInput, UserRef } from '@kycport/core';
import { hostedOptions, inputFor, left, right, simId, wireP100 } from './support';

const VARIANTS: ReadonlyArray<[string, P100SimulatorOptions]> = [
  ['the default (data step; data processing shows PENDING; POST /v1/kyc uncapped)', {}],
  ["documentDataProcessing 'unchanged'", { documentDataProcessing: 'unchanged' }],
  ["documentDataProcessing 'immediate'", { documentDataProcessing: 'immediate' }],
  ['requireDocumentData false', { requireDocumentData: false }],
  ["startVerificationCap 'P430'", { startVerificationCap: 'P430', maxVerificationAttempts: 2 }],
  ["startVerificationCap 'other_code'", { startVerificationCap: 'other_code', maxVerificationAttempts: 2 }],
];

const retryOptions = {
  strategy: { kind: 'auto' as const },
  providerOptions: { p100: { ...hostedOptions, country: 'PL' } },
};
const documentData = (number: string) =>
  ({
    document: { type: 'id_card' as const, number, expirationDate: '2030-06-11' },
    providerOptions: { p100: { openAccountReason: 'DAILY_USE', incomeSource: 'SALARY', occupation: 'IT' } },
  }) satisfies SubmitVerificationInput;
const image = (purpose: 'document_front' | 'selfie') => ({
  purpose,
  fileName: `${purpose}.jpg`,
  contentType: 'image/jpeg',
  data: new Uint8Array(32).fill(1),
});

let counter = 0;
const nextId = (label: string) => `${label}-${(counter += 1)}`;

describe.each(VARIANTS)('p100 (simulator variant: %s)', (_name, options) => {
  let sim: P100Simulator;
  let provider: KycProvider;
  let close: () => void;

  beforeAll(async () => {
    sim = await startP100Simulator(options);
    ({ provider, close } = wireP100(sim));
  });
  afterAll(async () => {
    close();
    await sim.close();
  });

  const requestsTo = (path: string) => sim.requests.filter((entry) => entry.path === path);
  const statusOf = async (ref: UserRef) => right(await provider.getStatus(ref)()).state;
  const requireData = options.requireDocumentData !== false;
  const processing = options.documentDataProcessing ?? 'pending';

  it('walks Method B to approved and never sends the document data twice where the read can tell', async () => {
    const ref = right(await provider.createUser(inputFor(nextId('onboard')))()).userRef;
    await sim.completeHostedFlow(simId(ref), 'denied');
    right(await provider.retry(ref, retryOptions)());
    expect(requestsTo('/v1/kyc')).toHaveLength(2);
    await sim.completeHostedFlow(simId(ref), 'approved');
    if (requireData) {
      expect(await statusOf(ref)).toMatchObject({
        status: 'action_required',
        nextAction: { type: 'submit_verification', missing: ['document_data'] },
      });
      const number = nextId('DOC');
      expect(right(await provider.submitVerification(ref, documentData(number))()).state.status).toBe(
        'in_review',
      );
      expect(requestsTo('/v1/user/verification')).toHaveLength(1);
      const during = await statusOf(ref);
      const second = await provider.submitVerification(ref, documentData(number))();
      if (processing === 'unchanged') {
        // The read cannot tell data due from data being processed (the documented limit): the
        // adapter sends, and P100 (here: the simulator's variant) decides.
        expect(during).toMatchObject({
          status: 'action_required',
          providerStatus: 'NOT_VERIFIED/SUCCESSFUL',
        });
        expect(requestsTo('/v1/user/verification')).toHaveLength(2);
      } else {
        // PENDING (processing) or VERIFIED: no invitation, and a second submission is refused locally.
        expect(during.nextAction.type).not.toBe('submit_verification');
        expect(left(second)).toMatchObject({ kind: 'invalid_state', outcome: 'not_sent' });
        expect(requestsTo('/v1/user/verification')).toHaveLength(1);
      }
      if (processing !== 'immediate') await sim.completeHostedFlow(simId(ref), 'approved');
    }
    expect(await statusOf(ref)).toMatchObject({ status: 'approved', providerStatus: 'VERIFIED/SUCCESSFUL' });
    // Verified: retry is refused by its status read; the simulator sees no third start.
    expect(left(await provider.retry(ref, retryOptions)())).toMatchObject({ kind: 'invalid_state' });
    expect(requestsTo('/v1/kyc')).toHaveLength(2);
    expect(sim.users().find((user) => user.ref === simId(ref))).toMatchObject({ attempts: 2 });
  });

  it('answers a start after the attempts as the variant says (P430, another code, or no cap)', async () => {
    const ref = right(await provider.createUser(inputFor(nextId('cap')))()).userRef;
    await sim.completeHostedFlow(simId(ref), 'denied');
    right(await provider.retry(ref, retryOptions)());
    await sim.completeHostedFlow(simId(ref), 'denied');
    const third = await provider.retry(ref, retryOptions)();
    const starts = requestsTo('/v1/kyc').filter((entry) => entry.status !== undefined);
    switch (options.startVerificationCap ?? 'allow') {
      case 'P430':
        expect(left(third)).toMatchObject({
          kind: 'retry_limit_reached',
          providerCode: 'P430',
          retryable: false,
        });
        expect(starts.map((entry) => entry.status).slice(-1)).toEqual([400]);
        break;
      case 'other_code':
        // An undocumented code keeps providerCode and maps by status class, never as the cap.
        expect(left(third)).toMatchObject({ kind: 'validation', providerCode: 'P499', outcome: 'rejected' });
        break;
      case 'allow':
        expect(right(third).state.nextAction.type).toBe('redirect');
        break;
    }
    expect(sim.users().find((user) => user.ref === simId(ref))?.attempts).toBe(
      (options.startVerificationCap ?? 'allow') === 'allow' ? 3 : 2,
    );
  });

  it('with kycMethod document_upload, retry asks for new documents and never starts a hosted flow', async () => {
    const wired = wireP100(sim, { kycMethod: 'document_upload' });
    try {
      const ref = right(await wired.provider.createUser(inputFor(nextId('method-a')))()).userRef;
      const startsBefore = requestsTo('/v1/kyc').length;
      right(
        await wired.provider.submitVerification(ref, {
          ...documentData(nextId('DOC')),
          document: { type: 'passport', number: nextId('DOC') },
          files: [image('document_front'), image('selfie')],
        })(),
      );
      await sim.completeHostedFlow(simId(ref), 'denied');
      const retried = right(await wired.provider.retry(ref)());
      expect(retried.state).toMatchObject({
        status: 'action_required',
        providerStatus: 'NOT_VERIFIED/REJECTED_BY_PROVIDER',
        nextAction: {
          type: 'submit_verification',
          missing: ['document_front', 'document_back', 'selfie', 'document_data'],
        },
      });
      expect(requestsTo('/v1/kyc')).toHaveLength(startsBefore);
    } finally {
      wired.close();
    }
  });
});
