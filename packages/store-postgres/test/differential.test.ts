/**
 * Differential property: any sequence of store calls gets the same answers from the PostgreSQL
 * store (on PGlite) as from the memory store of `@kycport/tracker`. Both decide with core's rules
 * (`decideApply`) but store, lock and lease in their own way; this holds them together beyond the
 * contract's examples.
 */
import * as fc from 'fast-check';
import type { ApplyOutcome, KycStatus, KycStore, StateChange, TrackedState } from '@kycport/core';
import { KYC_STATUSES } from '@kycport/core';
import { createMemoryKycStore } from '@kycport/tracker';
import { at, createPostgresKycStore, input, migrate, pgliteDatabase, state } from './support';

const database = pgliteDatabase();
const SCHEMA = 'kp_differential';

type Op =
  | {
      readonly kind: 'apply';
      readonly ref: string;
      readonly status: KycStatus;
      readonly providerStatus: string;
      readonly attempt?: number;
      readonly providerTime?: number;
      readonly ordered: boolean;
      readonly dedupeKey?: string;
      readonly expectedVersion?: number;
    }
  | { readonly kind: 'mark'; readonly key: string }
  | {
      readonly kind: 'claimOutbox';
      readonly limit: number;
      readonly leaseMs: number;
      readonly then: 'complete' | 'fail' | 'keep';
    }
  | {
      readonly kind: 'claimStale';
      readonly olderThanMs: number;
      readonly limit: number;
      readonly leaseMs: number;
    }
  | { readonly kind: 'get'; readonly ref: string };

const key = fc.constantFrom('k1', 'k2', 'k3', 'k4');
const ref = fc.constantFrom('plu:a', 'plu:b', 'p100:c');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        kind: fc.constant('apply' as const),
        ref,
        status: fc.constantFrom(...KYC_STATUSES),
        providerStatus: fc.constantFrom('x', 'y'),
        attempt: fc.constantFrom(1, 2),
        providerTime: fc.integer({ min: -3, max: 3 }),
        ordered: fc.boolean(),
        dedupeKey: key,
        expectedVersion: fc.integer({ min: 0, max: 3 }),
      },
      { requiredKeys: ['kind', 'ref', 'status', 'providerStatus', 'ordered'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mark' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('claimOutbox' as const),
      limit: fc.integer({ min: 0, max: 3 }),
      leaseMs: fc.constantFrom(500, 5_000),
      then: fc.constantFrom('complete' as const, 'fail' as const, 'keep' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('claimStale' as const),
      olderThanMs: fc.constantFrom(0, 1_500, 10_000),
      limit: fc.integer({ min: 1, max: 3 }),
      leaseMs: fc.constantFrom(500, 5_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), ref }) },
);

/** Change ids differ between the stores: compare changes by (ref, version). */
function withoutId(change: StateChange): Omit<StateChange, 'changeId'> {
  return Object.fromEntries(Object.entries(change).filter(([name]) => name !== 'changeId')) as Omit<
    StateChange,
    'changeId'
  >;
}

function outcomeView(outcome: ApplyOutcome): unknown {
  return outcome.kind === 'applied' ? { kind: 'applied', change: withoutId(outcome.change) } : outcome;
}

async function run(store: KycStore, ops: ReadonlyArray<Op>): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const [index, step] of ops.entries()) {
    const now = at(index * 1_000);
    if (step.kind === 'apply') {
      const { status, providerStatus, attempt, providerTime, ordered, dedupeKey, expectedVersion } = step;
      const given = input(step.ref, {
        ordered,
        ...(dedupeKey === undefined ? {} : { dedupeKey }),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
        state: state(status, providerStatus, attempt),
        ...(providerTime === undefined ? {} : { providerTime: at(providerTime * 1_000 + index * 500) }),
        source: ordered ? 'webhook' : 'read',
        now,
      });
      answers.push(outcomeView(await store.apply(given)));
    } else if (step.kind === 'mark') {
      answers.push(await store.markProcessed(step.key, now));
    } else if (step.kind === 'claimOutbox') {
      const claimed = await store.claimOutbox({ limit: step.limit, leaseMs: step.leaseMs, now });
      answers.push(claimed.map(withoutId));
      const first = claimed[0];
      if (first !== undefined && step.then === 'complete') await store.completeOutbox(first.changeId);
      if (first !== undefined && step.then === 'fail')
        await store.failOutbox(first.changeId, at(index * 1_000 + 700));
    } else if (step.kind === 'claimStale') {
      answers.push(await store.claimStaleUsers({ ...step, now }));
    } else {
      answers.push((await store.get(step.ref as TrackedState['ref'])) ?? null);
    }
  }
  return answers;
}

describe('the PostgreSQL store against the memory store', () => {
  beforeAll(async () => {
    await migrate(database.client(), { schema: SCHEMA });
  });

  it('answers every sequence of calls alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        await database
          .client()
          .query(
            `TRUNCATE "${SCHEMA}".kyc_tracked_states, "${SCHEMA}".kyc_processed_webhooks, "${SCHEMA}".kyc_outbox`,
          );
        const postgres = await run(
          createPostgresKycStore({ client: database.client(), schema: SCHEMA }),
          ops,
        );
        const memory = await run(createMemoryKycStore(), ops);
        expect(postgres).toEqual(memory);
      }),
    );
  }, 120_000);
});
