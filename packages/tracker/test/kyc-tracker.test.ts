/**
 * The tracker over the fake provider (HMAC-signed webhooks that carry the state and a time) and over
 * a router of two fakes: calls recorded, webhooks verified, deduped, ordered and committed before
 * the answer, reads for events that cannot be ordered, the outbox, fresh reads and sweeps.
 */
import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import * as TE from 'fp-ts/TaskEither';
import { readUserRef, userRef, withQualifiedRefs } from '@kycport/core';
import type { KycEvent, KycStatus, KycWebhookHandler, UserRef } from '@kycport/core';
import { createKycRouter } from '@kycport/router';
import { countingObserver, createFakeKycProvider } from '@kycport/testing';
import type { FakeKycProvider } from '@kycport/testing';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';
import type { KycTrackerOptions } from '@kycport/tracker';
import { faultyStore, recordingHandler, right, testClock } from './support';

const applicant = (externalId: string) => ({
  applicant: {
    externalId,
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane@example.com',
    dateOfBirth: '1990-05-15',
    address: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' as const },
    termsAccepted: true,
  },
});

function setup(
  overrides: Partial<KycTrackerOptions<FakeKycProvider>> = {},
  webhooks?: (handler: KycWebhookHandler) => KycWebhookHandler,
) {
  const observer = countingObserver();
  const kyc = createFakeKycProvider({ id: 'fake', observer });
  const memory = createMemoryKycStore();
  const faulty = faultyStore(memory);
  const changes = recordingHandler();
  const clock = testClock();
  const tracker = createKycTracker({
    kyc,
    store: faulty.store,
    onStateChange: changes.handler,
    now: clock.now,
    outbox: { drainAfterApply: false, backoff: { initialMs: 1000, maxMs: 8000 } },
    ...(webhooks === undefined ? {} : { webhooks: webhooks(kyc.webhooks) }),
    ...overrides,
  });
  return { kyc, observer, memory, faulty, changes, clock, tracker };
}

type Setup = ReturnType<typeof setup>;

/** A signed fake event for `ref`: `status` stamped `offsetMs` after the clock's start. */
function event(world: Setup, ref: UserRef, status: KycStatus, at: Date, attempt = 1, eventId = randomUUID()) {
  return world.kyc.control.signWebhook({
    event: 'fake.kyc-status',
    eventId,
    occurredAt: at.toISOString(),
    data: { ref, status, attempt, reasonCodes: status === 'denied' ? ['X'] : [] },
  });
}

const bare = (ref: UserRef): UserRef => userRef(readUserRef(ref).id);
const later = (world: Setup, ms: number) => new Date(world.clock.now().getTime() + ms);

async function created(world: Setup, id = randomUUID()): Promise<UserRef> {
  return right(await world.tracker.createUser(applicant(id))()).userRef;
}

describe('createKycTracker: calls are passed through and recorded', () => {
  it('createUser and retry record their result (source call); a store failure is reported, not thrown', async () => {
    const world = setup();
    const result = right(await world.tracker.createUser(applicant('a'))());
    expect(result.tracking).toMatchObject({ recorded: true, outcome: { kind: 'applied' } });
    const tracked = await world.memory.get(result.userRef);
    expect(tracked).toMatchObject({ version: 1, state: { status: result.state.status } });
    world.kyc.control.completeHostedFlow(result.userRef, 'denied');
    world.faulty.control.down = true;
    const retried = right(await world.tracker.retry(result.userRef)());
    expect(retried.tracking.recorded).toBe(false);
    if (!retried.tracking.recorded) {
      expect(retried.tracking.error).toMatchObject({ kind: 'internal', retryable: true });
      expect(retried.tracking.error.message).toContain('KycStore');
      expect(retried.tracking.error.message).not.toContain('db.internal');
    }
  });

  it('a provider error is returned as it is and nothing is recorded', async () => {
    const world = setup();
    const failure = await world.tracker.getStatus('fake-user-nobody' as UserRef)();
    expect(failure).toMatchObject({ _tag: 'Left', left: { kind: 'not_found' } });
    expect(world.memory.size().users).toBe(0);
  });
});

describe('createKycTracker: getStatus', () => {
  it('answers from the store with 0 provider requests while fresh, else reads and records', async () => {
    const world = setup();
    const ref = await created(world);
    const before = world.observer.count();
    const fresh = right(await world.tracker.getStatus(ref, { maxAgeMs: 60_000 })());
    expect(fresh).toMatchObject({ from: 'store', userRef: ref });
    expect(world.observer.count()).toBe(before);
    world.clock.advance(61_000);
    const read = right(await world.tracker.getStatus(ref, { maxAgeMs: 60_000 })());
    expect(read).toMatchObject({
      from: 'provider',
      tracking: { recorded: true, outcome: { kind: 'unchanged' } },
    });
    expect(world.observer.count()).toBe(before + 1);
    expect(Date.parse(read.checkedAt)).toBe(world.clock.now().getTime());
    expect(right(await world.tracker.getStatus(ref, { maxAgeMs: 60_000 })()).from).toBe('store');
  });

  it('without maxAgeMs, or when the store is down, asks the provider', async () => {
    const world = setup();
    const ref = await created(world);
    expect(right(await world.tracker.getStatus(ref)()).from).toBe('provider');
    world.faulty.control.down = true;
    const read = right(await world.tracker.getStatus(ref, { maxAgeMs: 60_000 })());
    expect(read).toMatchObject({ from: 'provider', tracking: { recorded: false } });
  });
});

describe('createKycTracker: ingestWebhook with ordered events (state, exact key, time)', () => {
  it('applies once, answers duplicate for a re-delivery, rejects a forged one with 401', async () => {
    const world = setup();
    const ref = await created(world);
    const delivery = event(world, ref, 'approved', later(world, 5));
    const first = await world.tracker.ingestWebhook(delivery)();
    expect(first).toMatchObject({ outcome: 'accepted', httpStatus: 200, applied: 'applied', ref });
    expect(await world.tracker.ingestWebhook(delivery)()).toMatchObject({
      outcome: 'duplicate',
      httpStatus: 200,
    });
    const forged = await world.tracker.ingestWebhook({
      ...delivery,
      rawBody: `${delivery.rawBody as string} `,
    })();
    expect(forged).toMatchObject({
      outcome: 'rejected',
      httpStatus: 401,
      error: { kind: 'webhook_rejected' },
    });
    const wrongPath = await world.tracker.ingestWebhook({ ...delivery, provider: 'plu' })();
    expect(wrongPath).toMatchObject({ outcome: 'rejected', httpStatus: 401 });
    expect((await world.memory.get(ref))?.version).toBe(2);
  });

  it('a stale event is kept out: a denial stamped before the retry does not undo it', async () => {
    const world = setup();
    const ref = await created(world);
    const denial = event(world, ref, 'denied', later(world, 10));
    world.kyc.control.completeHostedFlow(ref, 'denied');
    world.clock.advance(1000);
    right(await world.tracker.retry(ref)());
    const late = await world.tracker.ingestWebhook(denial)();
    expect(late).toMatchObject({ outcome: 'accepted', applied: 'stale' });
    expect((await world.memory.get(ref))?.state.attempt).toBe(2);
  });

  it('store down or a crash inside apply: retry_later (503), and the re-delivery is processed', async () => {
    const world = setup();
    const ref = await created(world);
    const delivery = event(world, ref, 'approved', later(world, 5));
    world.faulty.control.down = true;
    const down = await world.tracker.ingestWebhook(delivery)();
    expect(down).toMatchObject({
      outcome: 'retry_later',
      httpStatus: 503,
      error: { kind: 'internal', retryable: true },
    });
    world.faulty.control.down = false;
    world.faulty.control.crashNextApply = true;
    expect(await world.tracker.ingestWebhook(delivery)()).toMatchObject({
      outcome: 'retry_later',
      httpStatus: 503,
    });
    expect(await world.tracker.ingestWebhook(delivery)()).toMatchObject({
      outcome: 'accepted',
      applied: 'applied',
    });
    expect((await world.memory.get(ref))?.state.status).toBe('approved');
  });

  it('property: any arrival order, each delivered twice, ends at the newest; one change per newer event', async () => {
    const world = setup();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 1, max: 50 }),
            status: fc.constantFrom<KycStatus>('in_review', 'approved', 'denied', 'pending'),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.infiniteStream(fc.nat()),
        async (events, seeds) => {
          const ref = await created(world);
          const base = world.clock.now().getTime();
          const deliveries = events.map((entry, index) => ({
            entry,
            request: event(world, ref, entry.status, new Date(base + entry.offset * 1000), index + 1),
          }));
          const order = [...deliveries, ...deliveries].map((delivery) => ({
            delivery,
            key: seeds.next().value as number,
          }));
          order.sort((a, b) => a.key - b.key);
          const results = [];
          for (const { delivery } of order)
            results.push(await world.tracker.ingestWebhook(delivery.request)());
          expect(results.every((result) => result.httpStatus === 200)).toBe(true);
          expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(events.length);
          const newest = deliveries.reduce((best, next) =>
            next.entry.offset > best.entry.offset ||
            (next.entry.offset === best.entry.offset && deliveries.indexOf(next) > deliveries.indexOf(best))
              ? next
              : best,
          );
          expect((await world.memory.get(ref))?.state.attempt).toBe(deliveries.indexOf(newest) + 1);
          const applied = results.filter(
            (result) => result.outcome === 'accepted' && result.applied === 'applied',
          );
          expect(
            new Set(applied.map((result) => result.outcome === 'accepted' && result.change?.changeId)).size,
          ).toBe(applied.length);
        },
      ),
      { numRuns: 50 },
    );
  });
});

/** The fake's handler made to look like P100's or Plaid's: a weak key, and (optionally) no state. */
function weakened(handler: KycWebhookHandler, withState: boolean): KycWebhookHandler {
  return {
    ...handler,
    parseWebhook: (request) =>
      TE.map((parsed: KycEvent): KycEvent => {
        // No time either, like P100's and Plaid's payloads.
        const rest = { ...parsed, occurredAt: undefined };
        return withState && parsed.stateIncluded
          ? { ...rest, dedupeKeyStrength: 'weak', stateIncluded: true, state: parsed.state }
          : { ...rest, dedupeKeyStrength: 'weak', stateIncluded: false };
      })(handler.parseWebhook(request)),
  };
}

describe('createKycTracker: ingestWebhook with events that cannot be ordered', () => {
  it.each([true, false])(
    'reads the state with getStatus (state in payload: %s); weak keys drop nothing',
    async (withState) => {
      const world = setup({}, (handler) => weakened(handler, withState));
      const ref = await created(world);
      const reads = () => world.observer.events.length;
      const before = reads();
      const delivery = world.kyc.control.completeHostedFlow(ref, 'approved');
      const first = await world.tracker.ingestWebhook(delivery)();
      expect(first).toMatchObject({ outcome: 'accepted', applied: 'applied', change: { source: 'read' } });
      const again = await world.tracker.ingestWebhook(delivery)();
      expect(again).toMatchObject({ outcome: 'accepted', applied: 'unchanged' });
      expect(reads()).toBe(before + 2);
      expect((await world.memory.get(ref))?.state.status).toBe('approved');
    },
  );

  it('a read that raced a newer write is read again once (version guard), never overwriting it', async () => {
    const base = setup();
    const ref = await created(base);
    let raced = false;
    const racing = {
      ...base.kyc,
      getStatus: (target: UserRef) => async () => {
        const answer = await base.kyc.getStatus(target)();
        if (!raced) {
          // Another instance applies a state while this read is in flight.
          raced = true;
          const meanwhile = {
            status: 'in_review',
            providerStatus: 'meanwhile',
            reasonCodes: [],
            nextAction: { type: 'await_provider' },
          } as const;
          await base.memory.apply({
            ref,
            provider: 'fake',
            state: meanwhile,
            source: 'webhook',
            now: new Date().toISOString(),
          });
        }
        return answer;
      },
    };
    const world = createKycTracker({
      kyc: racing,
      webhooks: weakened(base.kyc.webhooks, false),
      store: base.memory,
    });
    const result = await world.ingestWebhook(base.kyc.control.completeHostedFlow(ref, 'approved'))();
    expect(result).toMatchObject({
      outcome: 'accepted',
      applied: 'applied',
      change: { version: 3, previousStatus: 'in_review' },
    });
    expect((await base.memory.get(ref))?.state.status).toBe('approved');
  });

  it('a failed follow-up read answers retry_later', async () => {
    const world = setup({}, (handler) => weakened(handler, false));
    const ref = await created(world);
    world.kyc.control.failNext('getStatus', {
      kind: 'network',
      provider: 'fake',
      message: 'down',
      retryable: true,
    } as never);
    const result = await world.tracker.ingestWebhook(world.kyc.control.completeHostedFlow(ref, 'approved'))();
    expect(result).toMatchObject({ outcome: 'retry_later', httpStatus: 503 });
  });
});

describe('createKycTracker: the outbox', () => {
  it('delivers each applied change; a throwing handler gets it again after the backoff, same change id', async () => {
    const world = setup();
    const ref = await created(world);
    await world.tracker.ingestWebhook(event(world, ref, 'approved', later(world, 5)))();
    world.changes.control.failuresLeft = 1;
    expect(right(await world.tracker.drainOutbox()())).toEqual({ claimed: 2, delivered: 1, failed: 1 });
    world.clock.advance(999);
    expect(right(await world.tracker.drainOutbox()()).claimed).toBe(0);
    world.clock.advance(1);
    expect(right(await world.tracker.drainOutbox()())).toEqual({ claimed: 1, delivered: 1, failed: 0 });
    const ids = world.changes.calls.map((change) => change.changeId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(2);
    // The first delivery threw: the same change came back after the backoff, its second attempt.
    expect(world.changes.calls[2]).toMatchObject({ attempts: 1, changeId: ids[0] });
    expect(right(await world.tracker.drainOutbox()()).claimed).toBe(0);
  });

  it('drains in the background after a change, and periodically once started', async () => {
    const world = setup({ outbox: { drainAfterApply: true } });
    await created(world);
    await world.tracker.idle();
    expect(world.changes.calls).toHaveLength(1);
    const periodic = setup();
    await created(periodic);
    periodic.tracker.start({ drainEveryMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await periodic.tracker.stop();
    expect(periodic.changes.calls).toHaveLength(1);
  });
});

describe('createKycTracker: reconcile', () => {
  it('re-reads users not final and not confirmed for a while, skipping final ones', async () => {
    const world = setup();
    const refs = [await created(world), await created(world), await created(world)];
    await world.tracker.ingestWebhook(event(world, refs[2]!, 'approved', later(world, 5)))();
    world.kyc.control.completeHostedFlow(refs[0]!, 'approved');
    world.clock.advance(120_000);
    const report = right(await world.tracker.reconcile({ olderThanMs: 60_000, limit: 10 })());
    expect(report).toMatchObject({
      claimed: 2,
      applied: 1,
      unchanged: 1,
      failed: 0,
      singleReads: 2,
      bulkReads: 0,
    });
    expect((await world.memory.get(refs[0]!))?.state.status).toBe('approved');
    expect(right(await world.tracker.reconcile({ olderThanMs: 60_000, limit: 10 })()).claimed).toBe(0);
  });

  it('through a router: one bulk read per provider, events routed by the path', async () => {
    const alpha = withQualifiedRefs(createFakeKycProvider({ id: 'alpha', webhookSecret: 'whsec_alpha' }));
    const beta = withQualifiedRefs(createFakeKycProvider({ id: 'beta', webhookSecret: 'whsec_beta' }));
    const router = createKycRouter({ providers: [alpha, beta] });
    const bulk = jest.spyOn(router, 'getStatuses');
    const memory = createMemoryKycStore();
    const clock = testClock();
    const tracker = createKycTracker({ kyc: router, store: memory, now: clock.now });
    const refs = [];
    for (const provider of ['alpha', 'beta', 'alpha']) {
      refs.push(right(await tracker.createUser(applicant(randomUUID()), { provider })()).userRef);
    }
    const delivery = alpha.control.completeHostedFlow(bare(refs[0]!), 'approved');
    expect(await tracker.ingestWebhook({ ...delivery, provider: 'alpha' })()).toMatchObject({
      outcome: 'accepted',
      applied: 'applied',
    });
    expect(await tracker.ingestWebhook({ ...delivery, provider: 'beta' })()).toMatchObject({
      outcome: 'rejected',
    });
    beta.control.completeHostedFlow(bare(refs[1]!), 'denied');
    clock.advance(120_000);
    const report = right(await tracker.reconcile({ olderThanMs: 60_000, limit: 10 })());
    expect(report).toMatchObject({ claimed: 2, applied: 1, unchanged: 1, bulkReads: 2, singleReads: 0 });
    expect(bulk).toHaveBeenCalledTimes(2);
    expect((await memory.get(refs[1]!))?.state.status).toBe('denied');
  });
});
