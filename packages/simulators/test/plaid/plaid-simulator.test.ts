/**
 * The Plaid simulator over HTTP: credentials, PlaidError bodies, create / get / list / retry rules,
 * the sandbox convention, setUserState, the control API, faults, the webhook key endpoint and
 * re-delivery. Every success body is checked against Plaid's published response schema (the
 * adapter's spec fixture). That the adapter's handler accepts the signed deliveries is tested in
 * packages/plaid/test/integration (this package does not depend on an adapter).
 */
import {
  PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS,
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_SECRET,
  PLAID_SIMULATOR_TEMPLATE_ID,
  PLAID_WEBHOOK_RETRY_DELAYS_MS,
  plaidConventionalOutcome,
  startPlaidSimulator,
} from '../../src/plaid';
import type { PlaidSimulator } from '../../src/plaid';
import { responseSchemaErrors } from '@kycport/fixtures';
import { CREDENTIALS, bodiesOf, createBody, post, startReceiver } from './support';
import type { Receiver } from './support';

let sim: PlaidSimulator;
let receiver: Receiver;
let counter = 0;
const nextRef = (label: string) => `${label}-${(counter += 1)}`;

beforeAll(async () => {
  sim = await startPlaidSimulator({ webhookRetryDelaysMs: [5, 10, 20] });
  receiver = await startReceiver();
  sim.setWebhookUrl(receiver.url);
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

beforeEach(async () => {
  await sim.webhooksIdle();
  receiver.received.length = 0;
  receiver.respond = () => 200;
  sim.clearFaults();
});

async function created(ref: string, extra: Record<string, unknown> = {}) {
  const answer = await post(sim.baseUrl, '/identity_verification/create', createBody(ref, extra));
  expect(answer.status).toBe(200);
  return answer.json;
}

async function retried(ref: string, strategy: string, extra: Record<string, unknown> = {}) {
  return post(sim.baseUrl, '/identity_verification/retry', {
    client_user_id: ref,
    template_id: PLAID_SIMULATOR_TEMPLATE_ID,
    strategy,
    ...extra,
  });
}

function expectPlaidError(
  answer: { status: number; json: Record<string, unknown> },
  type: string,
  code: string,
) {
  expect(answer.status).toBe(400);
  expect(answer.json).toMatchObject({ error_type: type, error_code: code, display_message: null });
  expect(typeof answer.json.error_message).toBe('string');
  expect(answer.json.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
}

describe('credentials and request format', () => {
  it('accepts the test credentials in headers or in the body', async () => {
    const ref = nextRef('auth');
    await created(ref);
    const viaBody = await post(
      sim.baseUrl,
      '/identity_verification/list',
      {
        client_id: PLAID_SIMULATOR_CLIENT_ID,
        secret: PLAID_SIMULATOR_SECRET,
        template_id: PLAID_SIMULATOR_TEMPLATE_ID,
        client_user_id: ref,
      },
      {},
    );
    expect(viaBody.status).toBe(200);
  });

  it('answers INVALID_API_KEYS for a wrong secret and MISSING_FIELDS without credentials', async () => {
    const wrong = await post(sim.baseUrl, '/identity_verification/create', createBody('x'), {
      ...CREDENTIALS,
      'PLAID-SECRET': 'not-the-secret',
    });
    expectPlaidError(wrong, 'INVALID_INPUT', 'INVALID_API_KEYS');
    const none = await post(
      sim.baseUrl,
      '/identity_verification/get',
      { identity_verification_id: 'idv_x' },
      {},
    );
    expectPlaidError(none, 'INVALID_REQUEST', 'MISSING_FIELDS');
    expect(none.json.error_message).toContain('client_id');
  });

  it('refuses a body that is not JSON, an unknown Plaid-Version and unknown fields', async () => {
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/get', '{oops'),
      'INVALID_REQUEST',
      'INVALID_BODY',
    );
    expectPlaidError(
      await post(
        sim.baseUrl,
        '/identity_verification/get',
        { identity_verification_id: 'x' },
        {
          ...CREDENTIALS,
          'Plaid-Version': '2019-05-29',
        },
      ),
      'INVALID_REQUEST',
      'INVALID_HEADERS',
    );
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/get', { identity_verification_id: 'x', extra: 1 }),
      'INVALID_REQUEST',
      'UNKNOWN_FIELDS',
    );
  });
});

describe('/identity_verification/create', () => {
  it('returns the full IdentityVerification with a shareable URL served by the simulator', async () => {
    const ref = nextRef('create');
    const attempt = await created(ref);
    expect(responseSchemaErrors('/identity_verification/create', attempt)).toEqual([]);
    expect(attempt).toMatchObject({
      client_user_id: ref,
      status: 'active',
      completed_at: null,
      previous_attempt_id: null,
      template: { id: PLAID_SIMULATOR_TEMPLATE_ID, version: 1 },
      user: { name: { given_name: 'Leslie', family_name: 'Knope' }, date_of_birth: '1975-01-18' },
      steps: {
        accept_tos: 'skipped',
        verify_sms: 'active',
        kyc_check: 'waiting_for_prerequisite',
        documentary_verification: 'waiting_for_prerequisite',
        selfie_check: 'not_applicable',
        watchlist_screening: 'waiting_for_prerequisite',
        risk_check: 'waiting_for_prerequisite',
      },
      documentary_verification: null,
      kyc_check: null,
    });
    expect(attempt.id).toMatch(/^idv_[A-Za-z0-9]{14}$/);
    const url = attempt.shareable_url as string;
    expect(url.startsWith(`${sim.baseUrl}/verify/${attempt.id as string}?key=`)).toBe(true);
    const hosted = await fetch(url);
    expect(hosted.status).toBe(200);
    expect(await hosted.text()).toContain(attempt.id as string);
    expect((await fetch(`${sim.baseUrl}/verify/${attempt.id as string}?key=wrong`)).status).toBe(404);
  });

  it('asks for the terms of service without consent and gives no URL when not shareable', async () => {
    const attempt = await created(nextRef('create'), { gave_consent: false, is_shareable: false });
    expect(attempt.shareable_url).toBeNull();
    expect(attempt.steps).toMatchObject({ accept_tos: 'active', verify_sms: 'waiting_for_prerequisite' });
  });

  it('is idempotent with is_idempotent true and refuses a second attempt otherwise', async () => {
    const ref = nextRef('idem');
    const first = await created(ref);
    const again = await created(ref);
    expect(again.id).toBe(first.id);
    expect(again.request_id).not.toBe(first.request_id);
    const refused = await post(
      sim.baseUrl,
      '/identity_verification/create',
      createBody(ref, { is_idempotent: false }),
    );
    expectPlaidError(refused, 'INVALID_REQUEST', 'INVALID_FIELD');
    const absent = createBody(ref);
    delete absent.is_idempotent;
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/create', absent),
      'INVALID_REQUEST',
      'INVALID_FIELD',
    );
    expect(sim.attempts(ref)).toHaveLength(1);
  });

  it('validates the template, the required fields and the user data', async () => {
    const wrongTemplate = await post(
      sim.baseUrl,
      '/identity_verification/create',
      createBody(nextRef('v'), { template_id: 'idvtmp_other' }),
    );
    expectPlaidError(wrongTemplate, 'INVALID_REQUEST', 'INVALID_FIELD');
    const missing = await post(sim.baseUrl, '/identity_verification/create', {
      client_user_id: nextRef('v'),
      template_id: PLAID_SIMULATOR_TEMPLATE_ID,
    });
    expectPlaidError(missing, 'INVALID_REQUEST', 'MISSING_FIELDS');
    expect(missing.json.error_message).toContain('is_shareable, gave_consent');
    const zip = await post(
      sim.baseUrl,
      '/identity_verification/create',
      createBody(nextRef('v'), {
        user: { address: { street: '1 Main St', city: 'Pawnee', postal_code: '4600', country: 'US' } },
      }),
    );
    expectPlaidError(zip, 'INVALID_REQUEST', 'INVALID_FIELD');
    expect(zip.json.error_message).toContain('postal_code');
    const phone = await post(
      sim.baseUrl,
      '/identity_verification/create',
      createBody(nextRef('v'), { user: { phone_number: '555-1234' } }),
    );
    expectPlaidError(phone, 'INVALID_REQUEST', 'INVALID_FIELD');
    const unknownUserField = await post(
      sim.baseUrl,
      '/identity_verification/create',
      createBody(nextRef('v'), { user: { nickname: 'Les' } }),
    );
    expectPlaidError(unknownUserField, 'INVALID_REQUEST', 'UNKNOWN_FIELDS');
  });
});

describe('/identity_verification/get and /list', () => {
  it('gets an attempt by id and refuses an unknown id', async () => {
    const attempt = await created(nextRef('get'));
    const got = await post(sim.baseUrl, '/identity_verification/get', {
      identity_verification_id: attempt.id,
    });
    expect(got.status).toBe(200);
    expect(got.json.id).toBe(attempt.id);
    expect(responseSchemaErrors('/identity_verification/get', got.json)).toEqual([]);
    const unknown = await post(sim.baseUrl, '/identity_verification/get', {
      identity_verification_id: 'idv_nope',
    });
    expectPlaidError(unknown, 'INVALID_REQUEST', 'INVALID_FIELD');
  });

  it('pages through a user’s attempts two at a time with next_cursor', async () => {
    const ref = nextRef('list');
    await created(ref);
    for (let index = 0; index < 4; index += 1) {
      await sim.completeHostedFlow(ref, 'denied');
      expect((await retried(ref, 'reset')).status).toBe(200);
    }
    const ids: unknown[] = [];
    let cursor: unknown;
    let pages = 0;
    do {
      const page = await post(sim.baseUrl, '/identity_verification/list', {
        template_id: PLAID_SIMULATOR_TEMPLATE_ID,
        client_user_id: ref,
        ...(typeof cursor === 'string' ? { cursor } : {}),
      });
      expect(page.status).toBe(200);
      expect(responseSchemaErrors('/identity_verification/list', page.json)).toEqual([]);
      const items = page.json.identity_verifications as Array<Record<string, unknown>>;
      expect(items.length).toBeLessThanOrEqual(2);
      ids.push(...items.map((item) => item.id));
      cursor = page.json.next_cursor;
      pages += 1;
    } while (typeof cursor === 'string');
    expect(pages).toBe(3);
    expect(cursor).toBeNull();
    expect(ids).toEqual(sim.attempts(ref).map((attempt) => attempt.id));
    const bad = await post(sim.baseUrl, '/identity_verification/list', {
      template_id: PLAID_SIMULATOR_TEMPLATE_ID,
      client_user_id: ref,
      cursor: 'not-a-cursor',
    });
    expectPlaidError(bad, 'INVALID_REQUEST', 'INVALID_FIELD');
  });

  it('lists nothing for an unknown user and requires template_id', async () => {
    const empty = await post(sim.baseUrl, '/identity_verification/list', {
      template_id: PLAID_SIMULATOR_TEMPLATE_ID,
      client_user_id: 'nobody-here',
    });
    expect(empty.json).toMatchObject({ identity_verifications: [], next_cursor: null });
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/list', { client_user_id: 'x' }),
      'INVALID_REQUEST',
      'MISSING_FIELDS',
    );
  });

  // Issue 12: IdentityVerificationListRequest: "Either a user_id or the client_user_id must be provided."
  it('requires client_user_id or user_id (the documented body), and accepts either', async () => {
    const neither = await post(sim.baseUrl, '/identity_verification/list', {
      template_id: PLAID_SIMULATOR_TEMPLATE_ID,
    });
    expectPlaidError(neither, 'INVALID_REQUEST', 'MISSING_FIELDS');
    expect(neither.json.error_message).toMatch(/client_user_id/);
    expect(neither.json.error_message).toMatch(/user_id/);
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/list', {
        template_id: PLAID_SIMULATOR_TEMPLATE_ID,
        client_user_id: null,
        user_id: null,
      }),
      'INVALID_REQUEST',
      'MISSING_FIELDS',
    );
    const byUserId = await post(sim.baseUrl, '/identity_verification/list', {
      template_id: PLAID_SIMULATOR_TEMPLATE_ID,
      user_id: 'usr_nobody00000000',
    });
    expect(byUserId.status).toBe(200);
    expect(byUserId.json).toMatchObject({ identity_verifications: [], next_cursor: null });
  });
});

describe('/identity_verification/retry', () => {
  it('refuses infer while the latest attempt is active, then infers incomplete after a failure', async () => {
    const ref = nextRef('retry');
    const first = await created(ref);
    expectPlaidError(await retried(ref, 'infer'), 'INVALID_REQUEST', 'INVALID_FIELD');
    await sim.completeHostedFlow(ref, 'denied');
    const second = await retried(ref, 'infer');
    expect(second.status).toBe(200);
    expect(responseSchemaErrors('/identity_verification/retry', second.json)).toEqual([]);
    expect(second.json).toMatchObject({
      previous_attempt_id: first.id,
      status: 'active',
      steps: {
        accept_tos: 'skipped',
        verify_sms: 'skipped',
        kyc_check: 'skipped',
        documentary_verification: 'active',
        watchlist_screening: 'waiting_for_prerequisite',
      },
    });
    await sim.webhooksIdle();
    expect(bodiesOf(receiver.received)).toContainEqual({
      webhook_type: 'IDENTITY_VERIFICATION',
      webhook_code: 'RETRIED',
      identity_verification_id: second.json.id,
      environment: 'sandbox',
    });
  });

  it('requires steps with custom only and applies them', async () => {
    const ref = nextRef('custom');
    await created(ref);
    expectPlaidError(await retried(ref, 'custom'), 'INVALID_REQUEST', 'MISSING_FIELDS');
    const steps = { verify_sms: false, kyc_check: true, documentary_verification: false, selfie_check: true };
    expectPlaidError(await retried(ref, 'reset', { steps }), 'INVALID_REQUEST', 'INVALID_FIELD');
    expectPlaidError(
      await retried(ref, 'custom', { steps: { verify_sms: false } }),
      'INVALID_REQUEST',
      'MISSING_FIELDS',
    );
    const custom = await retried(ref, 'custom', { steps, is_shareable: false });
    expect(custom.status).toBe(200);
    expect(custom.json.shareable_url).toBeNull();
    // selfie_check is silently disabled in Sandbox.
    expect(custom.json.steps).toMatchObject({
      verify_sms: 'skipped',
      kyc_check: 'active',
      documentary_verification: 'skipped',
      selfie_check: 'not_applicable',
    });
  });

  it('refuses incomplete (and infer) when the failing step is watchlist_screening or risk_check', async () => {
    const ref = nextRef('screening');
    await created(ref);
    await sim.setUserState(ref, 'failed:risk_check');
    expectPlaidError(await retried(ref, 'incomplete'), 'INVALID_REQUEST', 'INVALID_FIELD');
    expectPlaidError(await retried(ref, 'infer'), 'INVALID_REQUEST', 'INVALID_FIELD');
    const reset = await retried(ref, 'reset');
    expect(reset.status).toBe(200);
    expect(reset.json.steps).toMatchObject({ verify_sms: 'active', risk_check: 'waiting_for_prerequisite' });
  });

  it('validates the strategy, the template and the user', async () => {
    const ref = nextRef('strategy');
    await created(ref);
    expectPlaidError(await retried(ref, 'again'), 'INVALID_REQUEST', 'INVALID_FIELD');
    expectPlaidError(
      await retried(ref, 'reset', { template_id: 'idvtmp_x' }),
      'INVALID_REQUEST',
      'INVALID_FIELD',
    );
    expectPlaidError(await retried('never-created', 'reset'), 'INVALID_REQUEST', 'INVALID_FIELD');
    expectPlaidError(
      await post(sim.baseUrl, '/identity_verification/retry', { client_user_id: ref }),
      'INVALID_REQUEST',
      'MISSING_FIELDS',
    );
  });
});

// Issue 12: the codes of these refusals are not documented; each variant is one plausible answer.
describe('/identity_verification/retry refusals by refusalStyle', () => {
  it.each([
    ['field_named', true],
    ['terse', false],
  ] as const)(
    '%s: INVALID_REQUEST / INVALID_FIELD, the message naming the field: %s',
    async (style, names) => {
      const variant = await startPlaidSimulator({ refusalStyle: style });
      try {
        const retry = (body: Record<string, unknown>) =>
          post(variant.baseUrl, '/identity_verification/retry', {
            template_id: PLAID_SIMULATOR_TEMPLATE_ID,
            strategy: 'reset',
            ...body,
          });
        const ref = nextRef(`style-${style}`);
        expect((await post(variant.baseUrl, '/identity_verification/create', createBody(ref))).status).toBe(
          200,
        );
        const unknownUser = await retry({ client_user_id: 'nobody-at-all' });
        const badTemplate = await retry({ client_user_id: ref, template_id: 'idvtmp_other' });
        const inferActive = await retry({ client_user_id: ref, strategy: 'infer' });
        await variant.setUserState(ref, 'failed:watchlist_screening');
        const incomplete = await retry({ client_user_id: ref, strategy: 'incomplete' });
        const listBadTemplate = await post(variant.baseUrl, '/identity_verification/list', {
          template_id: 'idvtmp_other',
          client_user_id: ref,
        });
        for (const answer of [unknownUser, badTemplate, inferActive, incomplete, listBadTemplate]) {
          expectPlaidError(answer, 'INVALID_REQUEST', 'INVALID_FIELD');
        }
        const messages = [unknownUser, badTemplate, inferActive, incomplete, listBadTemplate].map(
          (answer) => answer.json.error_message as string,
        );
        if (names) {
          expect(messages[0]).toMatch(/^client_user_id /);
          expect(messages[1]).toMatch(/^template_id /);
          expect(messages[2]).toMatch(/^strategy: the infer strategy/);
          expect(messages[3]).toMatch(/^strategy: the incomplete strategy/);
          expect(messages[4]).toMatch(/^template_id /);
        } else {
          for (const message of messages)
            expect(message).not.toMatch(/client_user_id|template|strategy|user/);
        }
      } finally {
        await variant.close();
      }
    },
  );

  it('refuses a retry user with fields IdentityVerificationRequestUser does not have', async () => {
    const ref = nextRef('retry-user');
    await created(ref);
    expectPlaidError(
      await retried(ref, 'reset', { user: { client_user_id: ref } }),
      'INVALID_REQUEST',
      'UNKNOWN_FIELDS',
    );
    expectPlaidError(
      await retried(ref, 'reset', { user: { ip_address: '192.0.2.1' } }),
      'INVALID_REQUEST',
      'UNKNOWN_FIELDS',
    );
    const corrected = await retried(ref, 'reset', { user: { date_of_birth: '1975-01-18' } });
    expect(corrected.status).toBe(200);
  });
});

describe('hosted flow and the sandbox convention', () => {
  it('decides by Plaid’s test users: Leslie Knope passes, others fail documentary verification', () => {
    const knope = { name: { given_name: 'Leslie', family_name: 'Knope' } };
    expect(plaidConventionalOutcome(knope)).toEqual({ outcome: 'approved' });
    expect(plaidConventionalOutcome({ ...knope, date_of_birth: '1975-01-18' })).toEqual({
      outcome: 'approved',
    });
    expect(plaidConventionalOutcome({ ...knope, date_of_birth: '1980-01-01' })).toEqual({
      outcome: 'denied',
      failingStep: 'kyc_check',
    });
    for (const family of ['Wyatt', 'Gergich']) {
      expect(plaidConventionalOutcome({ name: { given_name: 'Jerry', family_name: family } })).toEqual({
        outcome: 'denied',
        failingStep: 'documentary_verification',
      });
    }
    expect(plaidConventionalOutcome(undefined).outcome).toBe('denied');
  });

  it('completes Leslie Knope with success, sending STEP_UPDATED and STATUS_UPDATED', async () => {
    const ref = nextRef('leslie');
    const attempt = await created(ref);
    await sim.completeHostedFlow(ref);
    const [view] = sim.attempts(ref);
    expect(view).toMatchObject({
      status: 'success',
      steps: {
        accept_tos: 'skipped',
        verify_sms: 'success',
        kyc_check: 'success',
        documentary_verification: 'success',
        selfie_check: 'not_applicable',
        watchlist_screening: 'success',
        risk_check: 'success',
      },
      kyc_check: { status: 'success' },
      documentary_verification: { status: 'success' },
    });
    expect(typeof view?.completed_at).toBe('string');
    expect(responseSchemaErrors('/identity_verification/get', { ...view, request_id: 'r' })).toEqual([]);
    await sim.webhooksIdle();
    const codes = bodiesOf(receiver.received).map((body) => body.webhook_code);
    expect(codes.filter((code) => code === 'STEP_UPDATED')).toHaveLength(5);
    expect(codes.filter((code) => code === 'STATUS_UPDATED')).toHaveLength(1);
    expect(new Set(bodiesOf(receiver.received).map((body) => body.identity_verification_id))).toEqual(
      new Set([attempt.id]),
    );
  });

  it('fails Ben Wyatt at documentary verification and Leslie with another DOB at the data source check', async () => {
    const benRef = nextRef('ben');
    await created(benRef, {
      user: { name: { given_name: 'Ben', family_name: 'Wyatt' }, date_of_birth: '1974-03-14' },
    });
    await sim.completeHostedFlow(benRef);
    const [benView] = sim.attempts(benRef);
    expect(benView).toMatchObject({
      status: 'failed',
      steps: {
        kyc_check: 'success',
        documentary_verification: 'failed',
        risk_check: 'waiting_for_prerequisite',
      },
      documentary_verification: { status: 'failed' },
    });
    expect((benView?.documentary_verification as { documents: unknown[] }).documents).toHaveLength(3);
    expect(responseSchemaErrors('/identity_verification/get', { ...benView, request_id: 'r' })).toEqual([]);

    const lateRef = nextRef('leslie-dob');
    await created(lateRef, {
      user: { name: { given_name: 'Leslie', family_name: 'Knope' }, date_of_birth: '1980-01-01' },
    });
    await sim.completeHostedFlow(lateRef);
    expect(sim.attempts(lateRef)[0]).toMatchObject({
      status: 'failed',
      steps: { kyc_check: 'failed', documentary_verification: 'waiting_for_prerequisite' },
      kyc_check: { status: 'failed', date_of_birth: { summary: 'no_match' } },
    });
  });

  it('lets an explicit outcome override the convention and refuses a finished attempt', async () => {
    const ref = nextRef('explicit');
    await created(ref);
    await sim.completeHostedFlow(ref, 'denied');
    expect(sim.users().find((user) => user.ref === ref)).toEqual({
      ref,
      providerStatus: 'failed',
      attempts: 1,
    });
    await expect(sim.completeHostedFlow(ref, 'approved')).rejects.toMatchObject({ status: 400 });
    await expect(sim.completeHostedFlow('nobody', 'approved')).rejects.toMatchObject({ status: 404 });
  });

  it('completes from the hosted page form', async () => {
    const ref = nextRef('form');
    const attempt = await created(ref, {
      user: { name: { given_name: 'Ben', family_name: 'Wyatt' } },
    });
    const response = await fetch(attempt.shareable_url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=approved',
    });
    expect(response.status).toBe(200);
    expect(sim.attempts(ref)[0]?.status).toBe('success');
  });
});

describe('setUserState', () => {
  it.each([
    ['pending_review', { watchlist_screening: 'pending_review', risk_check: 'waiting_for_prerequisite' }],
    ['expired', { verify_sms: 'expired', documentary_verification: 'expired' }],
    ['canceled', { verify_sms: 'canceled', risk_check: 'canceled' }],
    ['failed:watchlist_screening', { documentary_verification: 'success', watchlist_screening: 'failed' }],
    ['success', { risk_check: 'success' }],
  ])('moves the latest attempt to %s and sends STATUS_UPDATED', async (state, steps) => {
    const ref = nextRef('state');
    await created(ref);
    await sim.setUserState(ref, state);
    const [view] = sim.attempts(ref);
    expect(view).toMatchObject({ status: state.split(':')[0], steps });
    expect(responseSchemaErrors('/identity_verification/get', { ...view, request_id: 'r' })).toEqual([]);
    await sim.webhooksIdle();
    expect(bodiesOf(receiver.received).map((body) => body.webhook_code)).toEqual(['STATUS_UPDATED']);
  });

  it('refuses unknown states and users', async () => {
    const ref = nextRef('state');
    await created(ref);
    await expect(sim.setUserState(ref, 'approved')).rejects.toMatchObject({ status: 400 });
    await expect(sim.setUserState(ref, 'failed:selfie_check')).rejects.toMatchObject({ status: 400 });
    await expect(sim.setUserState('nobody', 'expired')).rejects.toMatchObject({ status: 404 });
  });
});

describe('control API over HTTP and faults', () => {
  it('completes, moves and lists users through /__control', async () => {
    const ref = nextRef('control');
    await created(ref);
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${sim.baseUrl}/__control${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await control('POST', `/users/${ref}/complete`, { outcome: 'denied' })).status).toBe(200);
    expect((await control('POST', `/users/${ref}/state`, { state: 'pending_review' })).status).toBe(200);
    expect((await control('POST', `/users/${ref}/state`, { state: 'bogus' })).status).toBe(400);
    expect((await control('POST', '/users/nobody/complete', {})).status).toBe(404);
    const users = (await (await control('GET', '/users')).json()) as { users: unknown[] };
    expect(users.users).toContainEqual({ ref, providerStatus: 'pending_review', attempts: 1 });
    expect(
      (
        await control('POST', '/faults', {
          fault: {
            type: 'status',
            status: 503,
            body: { error_type: 'API_ERROR', error_code: 'PLANNED_MAINTENANCE' },
          },
          path: '/identity_verification/get',
        })
      ).status,
    ).toBe(200);
    const failed = await post(sim.baseUrl, '/identity_verification/get', { identity_verification_id: 'x' });
    expect(failed.status).toBe(503);
    expect(failed.json.error_code).toBe('PLANNED_MAINTENANCE');
    const deliveries = (await (await control('GET', '/webhooks')).json()) as { deliveries: unknown[] };
    expect(deliveries.deliveries.length).toBeGreaterThan(0);
  });
});

describe('webhook verification key', () => {
  it('serves the ES256 public key by kid and refuses unknown key ids', async () => {
    const answer = await post(sim.baseUrl, '/webhook_verification_key/get', { key_id: sim.webhookKeyId });
    expect(answer.status).toBe(200);
    expect(responseSchemaErrors('/webhook_verification_key/get', answer.json)).toEqual([]);
    expect(answer.json.key).toMatchObject({
      alg: 'ES256',
      crv: 'P-256',
      kty: 'EC',
      use: 'sig',
      kid: sim.webhookKeyId,
      expired_at: null,
    });
    expect(typeof (answer.json.key as { created_at: unknown }).created_at).toBe('number');
    const unknown = await post(sim.baseUrl, '/webhook_verification_key/get', { key_id: 'bfbd5111-unknown' });
    expectPlaidError(unknown, 'INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID');
  });
});

describe('re-delivery', () => {
  it('follows Plaid’s schedule (30 s, then 4x each time, within 24 h) scaled down 1000x by default', () => {
    expect(PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS).toEqual([
      30_000, 120_000, 480_000, 1_920_000, 7_680_000, 30_720_000,
    ]);
    expect(PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(24 * 3600_000);
    expect(PLAID_WEBHOOK_RETRY_DELAYS_MS).toEqual([30, 120, 480, 1920, 7680, 30720]);
  });

  it('re-delivers the same bytes until the receiver answers 2xx, and gives up after the schedule', async () => {
    const ref = nextRef('redeliver');
    await created(ref);
    let failures = 2;
    receiver.respond = () => (failures-- > 0 ? 500 : 200);
    await sim.setUserState(ref, 'canceled');
    await sim.webhooksIdle();
    const record = sim.webhookDeliveries[sim.webhookDeliveries.length - 1];
    expect(record).toMatchObject({ attempts: [500, 500, 200], delivered: true, abandoned: false });
    expect(new Set(receiver.received.map((delivery) => delivery.rawBody)).size).toBe(1);

    receiver.received.length = 0;
    receiver.respond = () => 503;
    await sim.setUserState(ref, 'active');
    await sim.webhooksIdle();
    const abandoned = sim.webhookDeliveries[sim.webhookDeliveries.length - 1];
    // One delivery plus the three configured re-deliveries.
    expect(abandoned).toMatchObject({ attempts: [503, 503, 503, 503], delivered: false, abandoned: true });
  });
});
