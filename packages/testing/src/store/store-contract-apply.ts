/** The store contract: `get`/`apply` outcomes, the version guard and dedupe keys. */
import type { CurrentStore } from './store-contract-kit';
import {
  appliedChange,
  at,
  claimAll,
  expectKind,
  freshRef,
  input,
  ms,
  ordered,
  state,
} from './store-contract-kit';

export function describeApplyOutcomes(current: CurrentStore): void {
  describe('apply: outcomes', () => {
    it('get answers undefined for a ref never applied', async () => {
      expect(await current().get(freshRef())).toBeUndefined();
    });

    it('the first state is applied as version 1, with its outbox change', async () => {
      const ref = freshRef();
      const change = appliedChange(
        await current().apply(input(ref, 'pending', 10, { source: 'call', providerTime: at(5) })),
      );
      expect(change).toMatchObject({ ref, provider: 'fake', version: 1, source: 'call', attempts: 0 });
      expect(change.state).toEqual(state('pending'));
      expect(change.previousStatus).toBeUndefined();
      expect(ms(change.changedAt)).toBe(ms(at(10)));
      expect(typeof change.changeId).toBe('string');
      const tracked = await current().get(ref);
      expect(tracked).toMatchObject({ ref, provider: 'fake', version: 1, state: state('pending') });
      expect(ms(tracked?.changedAt)).toBe(ms(at(10)));
      expect(ms(tracked?.checkedAt)).toBe(ms(at(10)));
      expect(ms(tracked?.providerTime)).toBe(ms(at(5)));
    });

    it('a different state is applied as the next version, naming the previous status', async () => {
      const ref = freshRef();
      const first = appliedChange(await current().apply(input(ref, 'pending', 10)));
      const second = appliedChange(await current().apply(input(ref, 'approved', 20)));
      expect(second).toMatchObject({ version: 2, previousStatus: 'pending', state: state('approved') });
      expect(second.changeId).not.toBe(first.changeId);
      const tracked = await current().get(ref);
      expect(tracked?.version).toBe(2);
      expect(tracked?.providerTime).toBeUndefined();
      expect(ms(tracked?.changedAt)).toBe(ms(at(20)));
    });

    it('the same status, provider status and attempt is unchanged: only checkedAt moves, no outbox change', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'in_review', 10));
      const again = { ...input(ref, 'in_review', 30), state: { ...state('in_review'), reasonCodes: ['X'] } };
      const unchanged = expectKind(await current().apply(again), 'unchanged');
      expect(unchanged.current.version).toBe(1);
      expect(unchanged.current.state).toEqual(state('in_review'));
      const tracked = await current().get(ref);
      expect(tracked?.version).toBe(1);
      expect(ms(tracked?.changedAt)).toBe(ms(at(10)));
      expect(ms(tracked?.checkedAt)).toBe(ms(at(30)));
      expect(await claimAll(current(), 100)).toHaveLength(1);
    });

    it('another provider status or attempt under the same status is a change', async () => {
      const ref = freshRef();
      await current().apply({ ...input(ref, 'pending', 10), state: state('pending', 'created', 1) });
      const byProviderStatus = { ...input(ref, 'pending', 11), state: state('pending', 'pending_kyc', 1) };
      expect(appliedChange(await current().apply(byProviderStatus)).version).toBe(2);
      const byAttempt = { ...input(ref, 'pending', 12), state: state('pending', 'pending_kyc', 2) };
      expect(appliedChange(await current().apply(byAttempt)).version).toBe(3);
    });

    it('refs are independent', async () => {
      const [a, b] = [freshRef('a'), freshRef('b')];
      await current().apply(input(a, 'approved', 10));
      expect(appliedChange(await current().apply(input(b, 'pending', 11))).version).toBe(1);
      expect((await current().get(a))?.state.status).toBe('approved');
    });
  });
}

export function describeVersionGuard(current: CurrentStore): void {
  describe('apply: expectedVersion', () => {
    it('0 applies when nothing is stored, and conflicts once something is', async () => {
      const ref = freshRef();
      expect(
        appliedChange(await current().apply(input(ref, 'pending', 10, { expectedVersion: 0 }))).version,
      ).toBe(1);
      const conflict = expectKind(
        await current().apply(input(ref, 'approved', 11, { expectedVersion: 0 })),
        'conflict',
      );
      expect(conflict.current?.version).toBe(1);
      expect(conflict.current?.state.status).toBe('pending');
    });

    it('the stored version applies; an older one conflicts and changes nothing', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'pending', 10));
      await current().apply(input(ref, 'in_review', 11));
      expect(
        appliedChange(await current().apply(input(ref, 'approved', 12, { expectedVersion: 2 }))).version,
      ).toBe(3);
      expectKind(await current().apply(input(ref, 'denied', 13, { expectedVersion: 2 })), 'conflict');
      const tracked = await current().get(ref);
      expect(tracked?.version).toBe(3);
      expect(tracked?.state.status).toBe('approved');
      expect(ms(tracked?.checkedAt)).toBe(ms(at(12)));
      expect(await claimAll(current(), 100)).toHaveLength(3);
    });

    it('a conflicting unchanged state is still a conflict (the guard comes first)', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'pending', 10));
      expectKind(await current().apply(input(ref, 'pending', 20, { expectedVersion: 7 })), 'conflict');
      expect(ms((await current().get(ref))?.checkedAt)).toBe(ms(at(10)));
    });

    it('a conflict does not record the dedupe key: the retry with the right version applies', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'pending', 10));
      const key = `k-${ref}`;
      expectKind(
        await current().apply(input(ref, 'approved', 11, { expectedVersion: 0, dedupeKey: key })),
        'conflict',
      );
      appliedChange(
        await current().apply(input(ref, 'approved', 12, { expectedVersion: 1, dedupeKey: key })),
      );
      expectKind(await current().apply(input(ref, 'denied', 13, { dedupeKey: key })), 'duplicate');
    });

    it('of concurrent applies with one expected version, exactly one applies', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'pending', 10));
      const statuses = ['in_review', 'approved', 'denied', 'expired', 'canceled', 'action_required'] as const;
      const outcomes = await Promise.all(
        statuses.map((status, index) =>
          current().apply(input(ref, status, 20 + index, { expectedVersion: 1 })),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.kind === 'applied')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === 'conflict')).toHaveLength(statuses.length - 1);
      expect((await current().get(ref))?.version).toBe(2);
    });
  });
}

export function describeDedupe(current: CurrentStore): void {
  describe('apply: dedupe keys', () => {
    it('a key already applied is a duplicate, whatever the state, and changes nothing', async () => {
      const ref = freshRef();
      const key = `evt-${ref}`;
      appliedChange(await current().apply(ordered(ref, 'in_review', 10, { dedupeKey: key })));
      expectKind(await current().apply(ordered(ref, 'approved', 20, { dedupeKey: key })), 'duplicate');
      expectKind(await current().apply(input(ref, 'denied', 30, { dedupeKey: key })), 'duplicate');
      const tracked = await current().get(ref);
      expect(tracked?.version).toBe(1);
      expect(tracked?.state.status).toBe('in_review');
      expect(await claimAll(current(), 2000)).toHaveLength(1);
    });

    it('the key of a stale or unchanged state is recorded too', async () => {
      const ref = freshRef();
      await current().apply(ordered(ref, 'approved', 50));
      expectKind(await current().apply(ordered(ref, 'in_review', 10, { dedupeKey: `old-${ref}` })), 'stale');
      expectKind(
        await current().apply(ordered(ref, 'in_review', 10, { dedupeKey: `old-${ref}` })),
        'duplicate',
      );
      expectKind(
        await current().apply(ordered(ref, 'approved', 60, { dedupeKey: `same-${ref}` })),
        'unchanged',
      );
      expectKind(
        await current().apply(ordered(ref, 'approved', 60, { dedupeKey: `same-${ref}` })),
        'duplicate',
      );
    });

    it('markProcessed records a key once, and shares the key space with apply', async () => {
      const ref = freshRef();
      expect(await current().markProcessed(`m-${ref}`, at(1))).toBe('new');
      expect(await current().markProcessed(`m-${ref}`, at(2))).toBe('duplicate');
      expectKind(await current().apply(input(ref, 'pending', 3, { dedupeKey: `m-${ref}` })), 'duplicate');
      expect(await current().get(ref)).toBeUndefined();
      appliedChange(await current().apply(input(ref, 'pending', 4, { dedupeKey: `a-${ref}` })));
      expect(await current().markProcessed(`a-${ref}`, at(5))).toBe('duplicate');
    });

    it('of concurrent applies with one key, exactly one is not a duplicate', async () => {
      const ref = freshRef();
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          current().apply(
            ordered(ref, index % 2 === 0 ? 'approved' : 'denied', 10 + index, { dedupeKey: `c-${ref}` }),
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.kind !== 'duplicate')).toHaveLength(1);
      expect((await current().get(ref))?.version).toBe(1);
      expect(await claimAll(current(), 2000)).toHaveLength(1);
    });
  });
}
