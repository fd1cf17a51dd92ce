/**
 * The store contract: ordering of `ordered` inputs. Newer provider time wins; at equal time (or
 * when a side has no usable time) a higher attempt, then the status precedence pending <
 * action_required < in_review < expired = canceled < denied < approved, then `status` and
 * `providerStatus` by code-unit order. A state recorded without a provider time (a call, a read)
 * is ordered by when the store changed it (`changedAt`). Inputs without `ordered` are never stale.
 */
import type { KycStatus } from '@kycport/core';
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

export function describeOrderingByTime(current: CurrentStore): void {
  describe('apply: ordering by provider time', () => {
    it('a newer ordered state applies; an older one is stale, kept out, with no outbox change', async () => {
      const ref = freshRef();
      appliedChange(await current().apply(ordered(ref, 'in_review', 10)));
      appliedChange(await current().apply(ordered(ref, 'approved', 20)));
      const stale = expectKind(await current().apply(ordered(ref, 'denied', 15)), 'stale');
      expect(stale.current.state.status).toBe('approved');
      expect(stale.current.version).toBe(2);
      const tracked = await current().get(ref);
      expect(tracked?.state.status).toBe('approved');
      expect(ms(tracked?.providerTime)).toBe(ms(at(20)));
      expect(await claimAll(current(), 2000)).toHaveLength(2);
    });

    it('a stored state without provider time (a call) is ordered by its changedAt', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'pending', 100, { source: 'call' }));
      expectKind(await current().apply(ordered(ref, 'denied', 90, { nowSeconds: 200 })), 'stale');
      expect(
        appliedChange(await current().apply(ordered(ref, 'approved', 110, { nowSeconds: 200 }))).version,
      ).toBe(2);
    });

    it('an unordered state (a read or call) is never stale, and clears the provider time', async () => {
      const ref = freshRef();
      await current().apply(ordered(ref, 'approved', 500));
      expect(
        appliedChange(await current().apply(input(ref, 'pending', 50, { source: 'call' }))).version,
      ).toBe(2);
      const tracked = await current().get(ref);
      expect(tracked?.providerTime).toBeUndefined();
      expect(ms(tracked?.changedAt)).toBe(ms(at(50)));
    });

    it('an older ordered state with the same status is unchanged, not applied', async () => {
      const ref = freshRef();
      await current().apply(ordered(ref, 'approved', 20));
      expectKind(await current().apply(ordered(ref, 'approved', 10, { nowSeconds: 2000 })), 'unchanged');
      expect((await current().get(ref))?.version).toBe(1);
    });

    it('times are compared as instants, not as text', async () => {
      const ref = freshRef();
      await current().apply(
        ordered(ref, 'in_review', undefined, { providerTime: '2030-01-01T01:00:00+01:00' }),
      );
      // 00:30Z is after 00:00Z (01:00+01:00), though "2030-01-01T00:30" sorts before "2030-01-01T01:00".
      appliedChange(
        await current().apply(ordered(ref, 'approved', undefined, { providerTime: '2030-01-01T00:30:00Z' })),
      );
    });
  });
}

const PRECEDENCE: ReadonlyArray<KycStatus> = [
  'pending',
  'action_required',
  'in_review',
  'denied',
  'approved',
];

export function describeOrderingTies(current: CurrentStore): void {
  describe('apply: ordering at equal time', () => {
    it.each(PRECEDENCE.slice(1).map((status, index) => [PRECEDENCE[index]!, status] as const))(
      'at one time, %s then %s applies both; the reverse keeps the later-ranked one',
      async (lower, higher) => {
        const up = freshRef();
        await current().apply(ordered(up, lower, 10));
        appliedChange(await current().apply(ordered(up, higher, 10)));
        const down = freshRef();
        await current().apply(ordered(down, higher, 10));
        expectKind(await current().apply(ordered(down, lower, 10)), 'stale');
        expect((await current().get(down))?.state.status).toBe(higher);
      },
    );

    it('expired and canceled rank alike: the tie is broken by the status text, in both orders', async () => {
      for (const [first, second] of [
        ['expired', 'canceled'],
        ['canceled', 'expired'],
      ] as const) {
        const ref = freshRef();
        await current().apply(ordered(ref, first, 10));
        await current().apply(ordered(ref, second, 10));
        expect((await current().get(ref))?.state.status).toBe('expired');
      }
    });

    it('a higher attempt wins at equal time, whatever the status', async () => {
      const ref = freshRef();
      await current().apply({ ...ordered(ref, 'approved', 10), state: state('approved', 'approved', 1) });
      const retried = { ...ordered(ref, 'pending', 10), state: state('pending', 'pending', 2) };
      expect(appliedChange(await current().apply(retried)).version).toBe(2);
      const late = { ...ordered(ref, 'denied', 10), state: state('denied', 'denied', 1) };
      expectKind(await current().apply(late), 'stale');
    });

    it('the provider status breaks the last tie, in both orders', async () => {
      for (const order of [
        ['kyc_a', 'kyc_b'],
        ['kyc_b', 'kyc_a'],
      ]) {
        const ref = freshRef();
        for (const providerStatus of order) {
          await current().apply({
            ...ordered(ref, 'in_review', 10),
            state: state('in_review', providerStatus),
          });
        }
        expect((await current().get(ref))?.state.providerStatus).toBe('kyc_b');
      }
    });
  });

  describe('apply: ordered states without a provider time', () => {
    it('are ordered by attempt and precedence alone (the time is a tie)', async () => {
      const ref = freshRef();
      await current().apply(ordered(ref, 'in_review', 10));
      expectKind(await current().apply(ordered(ref, 'pending', undefined, { nowSeconds: 2000 })), 'stale');
      expect(
        appliedChange(await current().apply(ordered(ref, 'approved', undefined, { nowSeconds: 2000 })))
          .version,
      ).toBe(2);
      const tracked = await current().get(ref);
      expect(tracked?.providerTime).toBeUndefined();
      expectKind(await current().apply(ordered(ref, 'denied', 5)), 'stale');
    });

    it('an unreadable provider time counts as none', async () => {
      const ref = freshRef();
      await current().apply(ordered(ref, 'in_review', 10));
      expectKind(
        await current().apply(ordered(ref, 'pending', undefined, { providerTime: 'not a time' })),
        'stale',
      );
    });
  });
}
