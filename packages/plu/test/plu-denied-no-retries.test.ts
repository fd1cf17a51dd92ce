/**
 * A user denied with no retries left (issue 12). https://docs.getplu.com/api-reference/users/retry-kyc:
 * "Each user can be retried up to 3 times. After that, contact support." So a denial with the retry
 * count known to be 3 is `denied` with `nextAction: contact_support`, in the status mapping, in retry
 * results, in getStatus (from the last known count) and in webhooks; a denial with retries left (or an
 * unknown count) keeps `none` (the host may call `retry`).
 */
import * as E from 'fp-ts/Either';
import nock from 'nock';
import { pluKycState } from '../src';
import { pluRetryState } from '../src/plu-status-mapping';
import {
  buildProvider,
  cleanNockAfterEach,
  listPage,
  listedUser,
  plu,
  signedDelivery,
  pluRef,
} from './plu-test-support';

cleanNockAfterEach();
afterEach(() => nock.abortPendingRequests());

const SERVICE_ID = 'acme-user-abc123';
const RETRY_PATH = `/api/v2/partner/card/users/${SERVICE_ID}/retry-kyc`;
const LIST_PATH = '/api/v1/partner/card/users';

describe('plu: denied with no retries left -> contact_support', () => {
  it('maps denied with retryCount 3 (or more) to contact_support, and with retries left to none', () => {
    expect(pluKycState('denied', { retryCount: 3 })).toMatchObject({
      status: 'denied',
      nextAction: { type: 'contact_support' },
    });
    expect(pluKycState('denied', { retryCount: 4 }).nextAction.type).toBe('contact_support');
    expect(pluKycState('denied', { retryCount: 2 }).nextAction.type).toBe('none');
    expect(pluKycState('denied').nextAction.type).toBe('none');
  });

  it('a retry answer that is already denied with retryCount 3 asks for support', () => {
    expect(pluRetryState({ applicationStatus: 'denied', retryCount: 3 }).state).toMatchObject({
      status: 'denied',
      nextAction: { type: 'contact_support' },
    });
    expect(pluRetryState({ applicationStatus: 'denied', retryCount: 1 }).state.nextAction.type).toBe('none');
  });

  it('getStatus of a denied user after 3 retries this adapter saw: contact_support', async () => {
    const { provider } = buildProvider();
    for (let count = 1; count <= 3; count += 1)
      plu()
        .post(RETRY_PATH)
        .reply(200, {
          status: 'success',
          data: { serviceId: SERVICE_ID, applicationStatus: 'pending', retryCount: count },
        });
    for (let count = 1; count <= 3; count += 1)
      expect(E.isRight(await provider.retry(pluRef(SERVICE_ID))())).toBe(true);
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([listedUser(SERVICE_ID, 'denied')], 0, 1));
    expect(await provider.getStatus(pluRef(SERVICE_ID))()).toMatchObject({
      _tag: 'Right',
      right: { state: { status: 'denied', nextAction: { type: 'contact_support' } } },
    });
  });

  it('getStatus of a listed denied user carrying retryCount 3: contact_support', async () => {
    const { provider } = buildProvider();
    plu()
      .get(LIST_PATH)
      .query(true)
      .reply(200, listPage([{ ...listedUser(SERVICE_ID, 'denied'), retryCount: 3 }], 0, 1));
    expect(await provider.getStatus(pluRef(SERVICE_ID))()).toMatchObject({
      _tag: 'Right',
      right: { state: { status: 'denied', nextAction: { type: 'contact_support' } } },
    });
  });

  it('a denied webhook after 3 retries this adapter saw (or carrying retryCount 3): contact_support', async () => {
    const { provider } = buildProvider();
    const denied = (extra: Record<string, unknown> = {}, serviceId = SERVICE_ID) =>
      signedDelivery({
        event: 'user.kyc-event',
        timestamp: '2026-02-19T21:01:49.217Z',
        data: { serviceId, status: 'denied', reason: 'WRONG_USER_REGION', ...extra },
      });
    expect(await provider.webhooks.parseWebhook(denied())()).toMatchObject({
      right: { state: { nextAction: { type: 'none' } } },
    });
    expect(
      await provider.webhooks.parseWebhook(denied({ retryCount: 3 }, 'acme-user-other'))(),
    ).toMatchObject({
      right: { state: { nextAction: { type: 'contact_support' } } },
    });
    for (let count = 1; count <= 3; count += 1)
      plu()
        .post(RETRY_PATH)
        .reply(200, {
          status: 'success',
          data: { serviceId: SERVICE_ID, applicationStatus: 'pending', retryCount: count },
        });
    for (let count = 1; count <= 3; count += 1) await provider.retry(pluRef(SERVICE_ID))();
    expect(await provider.webhooks.parseWebhook(denied())()).toMatchObject({
      right: { state: { status: 'denied', nextAction: { type: 'contact_support' } } },
    });
  });
});
