/** The store contract: the outbox (claims, leases, completion, retries) and stale-user sweeps. */
import type { KycStatus, StateChange } from '@kycport/core';
import type { CurrentStore } from './store-contract-kit';
import { OTHER_PROVIDER, appliedChange, at, claimAll, freshRef, input, ms } from './store-contract-kit';

const ids = (changes: ReadonlyArray<StateChange>): string[] => changes.map((change) => change.changeId);

async function threeChanges(current: CurrentStore): Promise<string[]> {
  const ref = freshRef();
  const statuses: KycStatus[] = ['pending', 'in_review', 'approved'];
  const changes: string[] = [];
  for (const [index, status] of statuses.entries()) {
    changes.push(appliedChange(await current().apply(input(ref, status, 10 + index))).changeId);
  }
  return changes;
}

export function describeOutbox(current: CurrentStore): void {
  describe('outbox', () => {
    it('hands out applied changes in the order applied, up to the limit, first with attempts 0', async () => {
      const applied = await threeChanges(current);
      const first = await current().claimOutbox({ limit: 2, leaseMs: 1000, now: at(100) });
      expect(ids(first)).toEqual(applied.slice(0, 2));
      expect(first.map((change) => change.version)).toEqual([1, 2]);
      expect(first.every((change) => change.attempts === 0)).toBe(true);
      expect(ids(await current().claimOutbox({ limit: 5, leaseMs: 1000, now: at(100) }))).toEqual(
        applied.slice(2),
      );
    });

    it('a claimed change is leased: not handed out again until the lease ends, then with attempts 1', async () => {
      const applied = await threeChanges(current);
      expect(ids(await current().claimOutbox({ limit: 10, leaseMs: 5000, now: at(100) }))).toEqual(applied);
      expect(await current().claimOutbox({ limit: 10, leaseMs: 5000, now: at(104) })).toHaveLength(0);
      const again = await current().claimOutbox({ limit: 10, leaseMs: 5000, now: at(105) });
      expect(ids(again)).toEqual(applied);
      expect(again.every((change) => change.attempts === 1)).toBe(true);
    });

    it('a completed change leaves the outbox for good', async () => {
      const applied = await threeChanges(current);
      await claimAll(current(), 100, 1000);
      await current().completeOutbox(applied[1]!);
      expect(ids(await claimAll(current(), 500))).toEqual([applied[0], applied[2]]);
      await current().completeOutbox(applied[0]!);
      await current().completeOutbox(applied[2]!);
      expect(await claimAll(current(), 10_000)).toHaveLength(0);
    });

    it('a failed change is due again at retryAt, not before, and counts the attempt', async () => {
      const applied = await threeChanges(current);
      await claimAll(current(), 100, 60_000);
      await current().failOutbox(applied[0]!, at(130));
      expect(await current().claimOutbox({ limit: 10, leaseMs: 1000, now: at(129) })).toHaveLength(0);
      const retried = await current().claimOutbox({ limit: 10, leaseMs: 1000, now: at(130) });
      expect(ids(retried)).toEqual([applied[0]]);
      expect(retried[0]?.attempts).toBe(1);
      await current().failOutbox(applied[0]!, at(140));
      expect((await current().claimOutbox({ limit: 10, leaseMs: 1000, now: at(140) }))[0]?.attempts).toBe(2);
    });

    it('a change keeps its content across claims (stable id, version, state)', async () => {
      const [id] = await threeChanges(current);
      const [first] = await current().claimOutbox({ limit: 1, leaseMs: 1000, now: at(100) });
      const [second] = await current().claimOutbox({ limit: 1, leaseMs: 1000, now: at(200) });
      expect(first?.changeId).toBe(id);
      expect({ ...second, attempts: 0, changedAt: ms(second?.changedAt) }).toEqual({
        ...first,
        changedAt: ms(first?.changedAt),
      });
    });

    it('completing or failing an unknown change resolves', async () => {
      await expect(current().completeOutbox('no-such-change')).resolves.toBeUndefined();
      await expect(current().failOutbox('no-such-change', at(1))).resolves.toBeUndefined();
    });

    it('two claims at once never hand out the same change', async () => {
      const applied = [...(await threeChanges(current)), ...(await threeChanges(current))];
      const claims = await Promise.all(
        [0, 1, 2].map(() => current().claimOutbox({ limit: 3, leaseMs: 60_000, now: at(100) })),
      );
      const handed = claims.flatMap(ids);
      expect(new Set(handed).size).toBe(handed.length);
      expect(new Set(handed)).toEqual(new Set(applied));
    });
  });
}

export function describeStaleUsers(current: CurrentStore): void {
  describe('claimStaleUsers', () => {
    it('claims users not final and not confirmed for olderThanMs, oldest first, up to the limit', async () => {
      const statuses: KycStatus[] = [
        'in_review',
        'approved',
        'pending',
        'denied',
        'action_required',
        'expired',
        'canceled',
      ];
      const refs = statuses.map(() => freshRef());
      for (const [index, status] of statuses.entries())
        await current().apply(input(refs[index]!, status, 100 - index));
      const recent = freshRef();
      await current().apply(input(recent, 'pending', 950));
      const claim = { olderThanMs: 60_000, leaseMs: 30_000, now: at(1000) };
      const claimed = await current().claimStaleUsers({ ...claim, limit: 10 });
      expect(claimed.map((user) => user.ref)).toEqual([refs[4], refs[2], refs[0]]);
      expect(claimed.map((user) => user.version)).toEqual([1, 1, 1]);
      expect(await current().claimStaleUsers({ ...claim, limit: 10, now: at(1001) })).toHaveLength(0);
    });

    it('honours the limit and the provider filter', async () => {
      const refs = [freshRef(), freshRef(), freshRef()];
      for (const [index, ref] of refs.entries()) await current().apply(input(ref, 'pending', 10 + index));
      const other = freshRef();
      await current().apply({ ...input(other, 'pending', 1), provider: OTHER_PROVIDER });
      const claim = { olderThanMs: 1000, leaseMs: 30_000, now: at(500) };
      expect(
        (await current().claimStaleUsers({ ...claim, limit: 1, provider: 'fake' })).map((u) => u.ref),
      ).toEqual([refs[0]]);
      const rest = await current().claimStaleUsers({ ...claim, limit: 10, provider: OTHER_PROVIDER });
      expect(rest.map((user) => [user.ref, user.provider])).toEqual([[other, OTHER_PROVIDER]]);
    });

    it('a claimed user is leased: claimed again only after the lease ends', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'in_review', 10));
      const claim = { olderThanMs: 1000, limit: 10, leaseMs: 20_000 };
      expect(await current().claimStaleUsers({ ...claim, now: at(100) })).toHaveLength(1);
      expect(await current().claimStaleUsers({ ...claim, now: at(119) })).toHaveLength(0);
      expect((await current().claimStaleUsers({ ...claim, now: at(120) })).map((u) => u.ref)).toEqual([ref]);
    });

    it('a read that confirmed the state (unchanged) moves it out of the sweep until it ages again', async () => {
      const ref = freshRef();
      await current().apply(input(ref, 'in_review', 10));
      await current().apply(input(ref, 'in_review', 90));
      const claim = { olderThanMs: 60_000, limit: 10, leaseMs: 1000 };
      expect(await current().claimStaleUsers({ ...claim, now: at(100) })).toHaveLength(0);
      expect(await current().claimStaleUsers({ ...claim, now: at(150) })).toHaveLength(1);
    });

    it('two sweeps at once never claim the same user', async () => {
      const refs = Array.from({ length: 9 }, () => freshRef());
      for (const [index, ref] of refs.entries()) await current().apply(input(ref, 'pending', index));
      const claims = await Promise.all(
        [0, 1, 2].map(() =>
          current().claimStaleUsers({ olderThanMs: 1000, limit: 4, leaseMs: 60_000, now: at(100) }),
        ),
      );
      const claimed = claims.flatMap((users) => users.map((user) => user.ref));
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(new Set(claimed)).toEqual(new Set(refs));
    });
  });
}
