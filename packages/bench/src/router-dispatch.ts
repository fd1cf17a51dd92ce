/**
 * What the router adds to a call, without I/O: the same in-memory provider called directly and
 * through `createKycRouter` (three providers configured, rules on), per operation. The providers
 * answer at once, so the difference is the router's own work: reading the ref, finding the
 * provider, choosing one for a new user (country, nationality and rollout rules), and the adapter's
 * ref qualification (`withQualifiedRefs`), which every built adapter has anyway.
 */
import * as TE from 'fp-ts/TaskEither';
import { userRef, withQualifiedRefs } from '@kycport/core';
import type { CreateUserInput, KycProviderWithWebhooks, KycResult, ProviderId, UserRef } from '@kycport/core';
import { createKycRouter } from '@kycport/router';

export interface DispatchResult {
  readonly operation: string;
  readonly directNs: number;
  readonly routedNs: number;
  /** routed minus direct, per call, in microseconds. */
  readonly overheadUs: number;
}

function instantProvider(id: ProviderId): KycProviderWithWebhooks {
  const answer = (ref: UserRef): TE.TaskEither<never, KycResult> =>
    TE.right({
      provider: id,
      userRef: ref,
      state: {
        status: 'in_review',
        providerStatus: 'x',
        reasonCodes: [],
        nextAction: { type: 'await_provider' },
      },
      raw: {},
    });
  return {
    id,
    capabilities: {
      operations: {
        createUser: { supported: true },
        getStatus: { supported: true },
        retry: { supported: true },
        submitVerification: { supported: true },
      },
      retryStrategies: ['auto'],
      hostedFlow: true,
      documentUpload: false,
      statusLookup: 'single_request',
      webhooks: { authentication: 'hmac_sha256', carriesState: true },
    },
    createUser: () => answer(userRef('user-1')),
    getStatus: (ref) => answer(ref),
    retry: (ref) => TE.map((result: KycResult) => ({ ...result, attempts: {} }))(answer(ref)),
    submitVerification: (ref) => answer(ref),
    webhooks: { provider: id, parseWebhook: () => TE.left({} as never) },
    close: () => undefined,
  };
}

const INPUT: CreateUserInput = {
  applicant: {
    externalId: 'bench-user-1',
    address: { line1: 'a', city: 'b', postalCode: 'c', country: 'DE' },
  } as never,
};

async function timePerCall(call: () => Promise<unknown>, iterations: number): Promise<number> {
  for (let index = 0; index < Math.min(20_000, iterations); index++) await call();
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) await call();
  return Number(process.hrtime.bigint() - started) / iterations;
}

/** Median of five rounds of `iterations` calls each, direct and routed, per operation. */
export async function benchRouterDispatch(iterations = 200_000): Promise<ReadonlyArray<DispatchResult>> {
  const direct = withQualifiedRefs(instantProvider('plaid'));
  const router = createKycRouter({
    providers: [instantProvider('plu'), direct, instantProvider('p100')].map((provider) =>
      withQualifiedRefs(provider),
    ),
    route: {
      default: 'plaid',
      countries: { PL: 'p100', LT: 'p100' },
      nationalities: { UA: 'plu' },
      rollout: [{ provider: 'plu', percent: 10 }],
    },
  });
  const ref = userRef('plaid:host-user-7');
  const operations: ReadonlyArray<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
    ['getStatus', () => direct.getStatus(ref)(), () => router.getStatus(ref)()],
    ['retry', () => direct.retry(ref)(), () => router.retry(ref)()],
    ['createUser (rules)', () => direct.createUser(INPUT)(), () => router.createUser(INPUT)()],
  ];
  const median = (values: number[]): number =>
    values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  const results: DispatchResult[] = [];
  for (const [operation, callDirect, callRouted] of operations) {
    const directs: number[] = [];
    const routeds: number[] = [];
    for (let round = 0; round < 5; round++) {
      directs.push(await timePerCall(callDirect, iterations));
      routeds.push(await timePerCall(callRouted, iterations));
    }
    const directNs = median(directs);
    const routedNs = median(routeds);
    results.push({ operation, directNs, routedNs, overheadUs: (routedNs - directNs) / 1000 });
  }
  return results;
}
