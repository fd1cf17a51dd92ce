/**
 * The store contract's properties (fast-check, loaded when the suite is defined so `@kycport/testing`
 * keeps fast-check an optional peer): ordered states applied in any order end at the newest one,
 * with exactly one applied change per state that was newer than everything applied before it.
 */
import { createRequire } from 'node:module';
import type * as FastCheck from 'fast-check';
import type { ApplyStateInput, KycState, KycStatus, KycStore, UserRef } from '@kycport/core';
import type { CurrentStore, KycStoreContractOptions } from './store-contract-kit';
import { at, freshRef, ordered, state } from './store-contract-kit';

const STATUSES: ReadonlyArray<KycStatus> = [
  'pending',
  'action_required',
  'in_review',
  'expired',
  'canceled',
  'denied',
  'approved',
];
const RANK: Readonly<Record<KycStatus, number>> = {
  pending: 1,
  action_required: 2,
  in_review: 3,
  expired: 4,
  canceled: 4,
  denied: 5,
  approved: 6,
};

interface Event {
  readonly seconds: number;
  readonly attempt?: number;
  readonly state: KycState;
}

const sign = (a: number, b: number): number => (a === b ? 0 : a < b ? -1 : 1);

/** The documented order (the spec, written again here on purpose): time, attempt, rank, texts. */
export function newer(a: Event, b: Event): boolean {
  const attempts = a.attempt === undefined || b.attempt === undefined ? 0 : sign(a.attempt, b.attempt);
  const order =
    sign(a.seconds, b.seconds) ||
    attempts ||
    sign(RANK[a.state.status], RANK[b.state.status]) ||
    (a.state.status === b.state.status ? 0 : a.state.status < b.state.status ? -1 : 1) ||
    (a.state.providerStatus === b.state.providerStatus
      ? 0
      : a.state.providerStatus < b.state.providerStatus
        ? -1
        : 1);
  return order > 0;
}

function loadFastCheck(): typeof FastCheck {
  return createRequire(__filename)('fast-check') as typeof FastCheck;
}

function eventsArbitrary(fc: typeof FastCheck): FastCheck.Arbitrary<ReadonlyArray<Event>> {
  const event = (withAttempts: boolean) =>
    fc.record({
      seconds: fc.integer({ min: 0, max: 4 }),
      attempt: withAttempts ? fc.integer({ min: 1, max: 3 }) : fc.constant(undefined),
      status: fc.constantFrom(...STATUSES),
    });
  // One user's ordered states come from one provider's webhooks: all carry an attempt, or none
  // does (core's kyc-store-rules.ts: a missing attempt ties, so mixing them is not ordered).
  // Every event's provider status is its own, so no two events are the same state.
  return fc
    .boolean()
    .chain((withAttempts) => fc.array(event(withAttempts), { minLength: 1, maxLength: 8 }))
    .map((events) =>
      events.map(({ seconds, attempt, status }, index) => ({
        seconds,
        ...(attempt === undefined ? {} : { attempt }),
        state: state(status, `${status}_${index}`, attempt),
      })),
    );
}

const asInput = (ref: UserRef, event: Event, key?: string): ApplyStateInput => ({
  ...ordered(ref, event.state.status, event.seconds, key === undefined ? {} : { dedupeKey: key }),
  state: event.state,
});

async function applyAll(store: KycStore, ref: UserRef, events: ReadonlyArray<Event>, keys: boolean) {
  const outcomes = [];
  for (const [index, event] of events.entries()) {
    outcomes.push(await store.apply(asInput(ref, event, keys ? `${ref}#${index}` : undefined)));
  }
  return outcomes;
}

export function describeOrderingProperties(current: CurrentStore, options: KycStoreContractOptions): void {
  const fc = loadFastCheck();
  const runs = options.propertyRuns === undefined ? {} : { numRuns: options.propertyRuns };
  describe('apply: ordering properties', () => {
    it('any order of arrival ends at the newest state, one applied change per new newest state', async () => {
      await fc.assert(
        fc.asyncProperty(
          eventsArbitrary(fc).chain((events) =>
            fc.shuffledSubarray([...events], { minLength: events.length }),
          ),
          async (arrival) => {
            const ref = freshRef('prop');
            const outcomes = await applyAll(current(), ref, arrival, false);
            let newest: Event | undefined;
            const expected = arrival.map((event) => {
              const applies = newest === undefined || newer(event, newest);
              if (applies) newest = event;
              return applies ? 'applied' : 'stale';
            });
            expect(outcomes.map((outcome) => outcome.kind)).toEqual(expected);
            const versions = outcomes.flatMap((outcome) =>
              outcome.kind === 'applied' ? [outcome.change.version] : [],
            );
            expect(versions).toEqual(versions.map((_, index) => index + 1));
            const tracked = await current().get(ref);
            expect(tracked?.state).toEqual(newest?.state);
            expect(Date.parse(tracked?.providerTime ?? '')).toBe(Date.parse(at(newest?.seconds ?? -1)));
          },
        ),
        runs,
      );
    });

    it('delivering every event again changes nothing: duplicates by key, stale or unchanged without', async () => {
      await fc.assert(
        fc.asyncProperty(eventsArbitrary(fc), fc.boolean(), async (events, keys) => {
          const ref = freshRef('again');
          await applyAll(current(), ref, events, keys);
          const before = await current().get(ref);
          const again = await applyAll(current(), ref, [...events].reverse(), false);
          const keyed = keys ? await applyAll(current(), ref, events, true) : [];
          expect(again.every((outcome) => outcome.kind === 'stale' || outcome.kind === 'unchanged')).toBe(
            true,
          );
          expect(keyed.every((outcome) => outcome.kind === 'duplicate')).toBe(true);
          expect((await current().get(ref))?.version).toBe(before?.version);
        }),
        runs,
      );
    });
  });
}
