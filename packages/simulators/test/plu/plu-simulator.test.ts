/**
 * The Plu simulator's own behaviour over HTTP: auth, validation, the state machine and its
 * webhooks (signatures checked here with node:crypto; that the Plu adapter accepts them is tested in
 * packages/plu/test/integration, since this package never imports an adapter), Plu's rules (unique
 * email, idempotency keys, the retry cap), re-delivery, faults and the control API.
 */
import { createHmac } from 'node:crypto';
import {
  PLU_SIMULATOR_API_KEY,
  PLU_SIMULATOR_DENIAL_REASON,
  PLU_SIMULATOR_WEBHOOK_SECRET,
  PLU_WEBHOOK_RETRY_DELAYS_MS,
  pluSimulatorOutcome,
  startPluSimulator,
} from '../../src/plu';
import type { PluSimulator } from '../../src/plu';
import { bodyOf, call, createUserBody, createdUser, startReceiver } from './support';
import type { Receiver } from './support';

const CREATE = '/api/v2/partner/card/users';
const LIST = '/api/v1/partner/card/users';
const RETRY = (serviceId: string) => `/api/v2/partner/card/users/${serviceId}/retry-kyc`;

let sim: PluSimulator;
let receiver: Receiver;
let clock = Date.parse('2026-05-01T10:00:00.000Z');
let counter = 0;
const email = (label: string) => `${label}-${(counter += 1)}@example.com`;

/** The signature Plu documents: lowercase hex HMAC-SHA256 of the raw body, keyed with the secret as-is. */
function expectSignedDelivery(index: number): void {
  const delivery = receiver.received[index];
  if (!delivery) throw new Error(`no delivery ${index}`);
  const expected = createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET).update(delivery.rawBody).digest('hex');
  expect(delivery.headers['x-webhook-signature']).toBe(expected);
}

function listedStatusOf(answer: { json: unknown }, serviceId: string): string | undefined {
  const users = (answer.json as { data: { users: Array<{ serviceId: string; status: string }> } }).data.users;
  return users.find((user) => user.serviceId === serviceId)?.status;
}

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startPluSimulator({ webhookUrl: receiver.url, now: () => clock });
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

afterEach(async () => {
  await sim.webhooksIdle();
  receiver.received.length = 0;
  receiver.respond = () => 200;
  sim.clearFaults();
});

describe('settings', () => {
  // That the Plu adapter accepts these settings is tested in packages/plu/test/integration.
  it('gives adapter settings and environment pointing at /api on the simulator', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.adapterSettings).toMatchObject({
      apiKey: PLU_SIMULATOR_API_KEY,
      baseUrl: `${sim.baseUrl}/api`,
    });
    expect(sim.environment).toMatchObject({
      KYC_PROVIDER: 'plu',
      PLU_API_KEY: PLU_SIMULATOR_API_KEY,
      PLU_BASE_URL: `${sim.baseUrl}/api`,
    });
  });
});

describe('auth', () => {
  it.each([
    ['missing', null, 'Missing API key'],
    ['wrong', 'sk_staging_someone_else', 'Invalid API key'],
    ['live', 'sk_live_kycport_simulator', 'Invalid API key'],
  ])('answers a %s key with 401 in the error envelope', async (_name, apiKey, text) => {
    for (const [method, path] of [
      ['GET', LIST],
      ['POST', CREATE],
      ['POST', RETRY('kycsim-user-x')],
    ] as const) {
      const answer = await call(sim.baseUrl, method, path, { apiKey, body: createUserBody(email('auth')) });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ status: 'error', message: 'UNAUTHORIZED', data: { error: text } });
    }
  });

  it('accepts the key with any case of "Bearer"', async () => {
    const answer = await fetch(`${sim.baseUrl}${LIST}`, {
      headers: { authorization: `bearer ${PLU_SIMULATOR_API_KEY}` },
    });
    expect(answer.status).toBe(200);
  });
});

describe('create user', () => {
  it('creates a user: 201, serviceId {slug}-user-{uid}, an https verificationUrl with an inquiry id', async () => {
    const answer = await call(sim.baseUrl, 'POST', CREATE, { body: createUserBody(email('create')) });
    expect(answer.status).toBe(201);
    const body = answer.json as {
      status: string;
      message: string;
      data: { serviceId: string; verificationUrl: string };
    };
    expect(body.status).toBe('success');
    expect(body.message).toBe('User created successfully');
    expect(body.data.serviceId).toMatch(/^kycsim-user-[A-Za-z0-9]{15}$/);
    expect(body.data.verificationUrl).toMatch(
      /^https:\/\/persona\.plu-simulator\.invalid\/persona\/verify\?inquiry-id=inq_\w+$/,
    );
    const listed = await call(sim.baseUrl, 'GET', LIST);
    expect(listedStatusOf(listed, body.data.serviceId)).toBe('pending_kyc');
  });

  it('serves the verification page of the inquiry on the simulator', async () => {
    const ref = await createdUser(sim.baseUrl, email('page'));
    const page = await fetch(sim.verificationPageUrl(ref));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(ref);
    expect(html).toContain('pending_kyc');
    const unknown = await fetch(`${sim.baseUrl}/persona/verify?inquiry-id=inq_nobody`);
    expect(unknown.status).toBe(404);
    await unknown.text();
  });

  it('requires the idempotency-key header (400)', async () => {
    const answer = await call(sim.baseUrl, 'POST', CREATE, {
      body: createUserBody(email('nokey')),
      idempotencyKey: null,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', message: 'VALIDATION_ERROR' });
  });

  it('answers a body that is not JSON with 400', async () => {
    const answer = await call(sim.baseUrl, 'POST', CREATE, { rawBody: '{"firstName":' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', message: 'VALIDATION_ERROR' });
  });

  it.each([
    ['firstName', { firstName: '' }],
    ['lastName', { lastName: 'D'.repeat(101) }],
    ['email', { email: 'not-an-email' }],
    ['phoneNumber', { phoneNumber: '555-1234' }],
    ['accountPurpose', { accountPurpose: 'x'.repeat(201) }],
    ['ipAddress', { ipAddress: '999.1.1.1' }],
    ['isTermsOfServiceAccepted', { isTermsOfServiceAccepted: false }],
    ['program', { program: 'prepaid' }],
    ['walletAddress', { program: 'non_custodial' }],
    ['walletAddress', { program: 'non_custodial', walletAddress: '0x123' }],
    ['redirectUrl', { redirectUrl: 'http://example.com/back' }],
    ['address', { address: undefined }],
    ['city', { city: 42 }],
    ['region', { region: 'R'.repeat(101) }],
    ['postalCode', { postalCode: '1'.repeat(21) }],
    ['countryCode', { countryCode: 'USA' }],
  ])('rejects a bad %s with 422 naming the field, not its value', async (field, change) => {
    const body = { ...createUserBody(email('invalid')), ...change };
    const answer = await call(sim.baseUrl, 'POST', CREATE, { body });
    expect(answer.status).toBe(422);
    const error = answer.json as { status: string; message: string; data: { error: string } };
    expect(error.status).toBe('error');
    expect(error.message).toBe('VALIDATION_ERROR');
    expect(error.data.error).toContain(field);
    expect(error.data.error).not.toContain('not-an-email');
    expect(error.data.error).not.toContain('555-1234');
  });

  it('accepts non_custodial with a wallet address and an https redirectUrl', async () => {
    const body = {
      ...createUserBody(email('wallet')),
      program: 'non_custodial',
      walletAddress: `0x${'a'.repeat(40)}`,
      redirectUrl: 'https://example.com/back',
    };
    expect((await call(sim.baseUrl, 'POST', CREATE, { body })).status).toBe(201);
  });

  it('refuses a second user with the same email (any case) with 400 DUP_USER', async () => {
    const address = email('dup');
    await createdUser(sim.baseUrl, address);
    const answer = await call(sim.baseUrl, 'POST', CREATE, { body: createUserBody(address.toUpperCase()) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', message: 'DUP_USER' });
  });

  it('refuses an idempotency key used in the last 5 minutes with 400, and forgets it afterwards', async () => {
    const key = 'b0d1a1f8-6a3e-4c55-9a30-7f1f0c2c0001';
    const first = await call(sim.baseUrl, 'POST', CREATE, {
      body: createUserBody(email('idem')),
      idempotencyKey: key,
    });
    expect(first.status).toBe(201);
    const again = await call(sim.baseUrl, 'POST', CREATE, {
      body: createUserBody(email('idem')),
      idempotencyKey: key,
    });
    expect(again.status).toBe(400);
    // Plu documents the 400, not its code: the default is a generic one (variants: plu-variants.test.ts).
    expect(again.json).toMatchObject({ status: 'error', message: 'BAD_REQUEST' });
    clock += 5 * 60_000 + 1;
    const later = await call(sim.baseUrl, 'POST', CREATE, {
      body: createUserBody(email('idem')),
      idempotencyKey: key,
    });
    expect(later.status).toBe(201);
  });

  it('does not remember the key of a failed request', async () => {
    const key = 'b0d1a1f8-6a3e-4c55-9a30-7f1f0c2c0002';
    const invalid = await call(sim.baseUrl, 'POST', CREATE, {
      body: { ...createUserBody(email('idem-fail')), phoneNumber: 'x' },
      idempotencyKey: key,
    });
    expect(invalid.status).toBe(422);
    const fixed = await call(sim.baseUrl, 'POST', CREATE, {
      body: createUserBody(email('idem-fail')),
      idempotencyKey: key,
    });
    expect(fixed.status).toBe(201);
  });
});

describe('list users', () => {
  let local: PluSimulator;
  const refs: string[] = [];

  beforeAll(async () => {
    local = await startPluSimulator();
    for (let index = 0; index < 120; index += 1) refs.push(await createdUser(local.baseUrl, email('list')));
  });
  afterAll(() => local.close());

  it('pages in creation order with pagination { skip, limit, total }, default limit 50', async () => {
    const first = await call(local.baseUrl, 'GET', LIST);
    const page = (first.json as { data: { users: Array<{ serviceId: string }>; pagination: unknown } }).data;
    expect(page.users).toHaveLength(50);
    expect(page.users[0]?.serviceId).toBe(refs[0]);
    expect(page.pagination).toEqual({ skip: 0, limit: 50, total: 120 });
    const last = await call(local.baseUrl, 'GET', `${LIST}?skip=100&limit=100`);
    const lastPage = (last.json as { data: { users: Array<{ serviceId: string }>; pagination: unknown } })
      .data;
    expect(lastPage.users.map((user) => user.serviceId)).toEqual(refs.slice(100));
    expect(lastPage.pagination).toEqual({ skip: 100, limit: 100, total: 120 });
  });

  it('lists the documented fields', async () => {
    const answer = await call(local.baseUrl, 'GET', `${LIST}?skip=0&limit=1`);
    expect((answer.json as { status: string; message: string }).message).toBe('success');
    expect((answer.json as { data: { users: unknown[] } }).data.users[0]).toEqual({
      serviceId: refs[0],
      email: expect.stringMatching(/@example\.com$/),
      firstName: 'Jane',
      lastName: 'Doe',
      status: 'pending_kyc',
      program: 'custodial',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('caps no page (Plu documents no maximum limit) and rejects bad paging parameters with 422', async () => {
    const big = await call(local.baseUrl, 'GET', `${LIST}?limit=500`);
    expect((big.json as { data: { users: unknown[] } }).data.users).toHaveLength(120);
    for (const query of ['skip=-1', 'skip=abc', 'limit=0', 'limit=1.5']) {
      const answer = await call(local.baseUrl, 'GET', `${LIST}?${query}`);
      expect([query, answer.status]).toEqual([query, 422]);
      expect(answer.json).toMatchObject({ status: 'error', message: 'VALIDATION_ERROR' });
    }
  });
});

describe('state machine and webhooks', () => {
  it('reads the sandbox keyword at the end of lastName, case-sensitively', () => {
    expect(pluSimulatorOutcome('DoeApproved')).toBe('approved');
    expect(pluSimulatorOutcome('DoeDenied')).toBe('denied');
    expect(pluSimulatorOutcome('DoeneedsVerification')).toBe('needsVerification');
    expect(pluSimulatorOutcome('Doedenied')).toBeUndefined();
    expect(pluSimulatorOutcome('ApprovedDoe')).toBeUndefined();
  });

  it('approves a user without a keyword, sending a signed user.kyc-event', async () => {
    const ref = await createdUser(sim.baseUrl, email('plain'));
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const delivery = receiver.received[0]!;
    const expected = createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
      .update(delivery.rawBody)
      .digest('hex');
    expect(delivery.headers['x-webhook-signature']).toBe(expected);
    expect(delivery.headers['content-type']).toBe('application/json');
    const body = bodyOf(delivery);
    expect(body.event).toBe('user.kyc-event');
    expect(Date.parse(body.timestamp)).toBe(clock);
    expect(body.data).toEqual({
      serviceId: ref,
      status: 'approved',
      email: expect.stringContaining('plain-'),
      firstName: 'Jane',
      lastName: 'Doe',
    });
    expect(listedStatusOf(await call(sim.baseUrl, 'GET', `${LIST}?limit=100`), ref)).toBe('approved');
  });

  it('denies a lastName ending in Denied with the documented reason codes', async () => {
    const ref = await createdUser(sim.baseUrl, email('denied'), 'DoeDenied');
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(bodyOf(receiver.received[0]!).data).toMatchObject({
      status: 'denied',
      reason: PLU_SIMULATOR_DENIAL_REASON,
    });
    expectSignedDelivery(0);
    expect(sim.users().find((user) => user.ref === ref)).toMatchObject({
      providerStatus: 'denied',
      state: 'denied',
      attempts: 1,
    });
  });

  it('asks for additional verification with a verificationLink, then approves the completed extra step', async () => {
    const ref = await createdUser(sim.baseUrl, email('needs'), 'DoeneedsVerification');
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    const data = bodyOf(receiver.received[0]!).data;
    expect(data.status).toBe('needsVerification');
    expect(data.verificationLink).toMatch(/^https:\/\/.+inquiry-id=inq_/);
    expect(data).not.toHaveProperty('reason');
    expectSignedDelivery(0);
    expect(listedStatusOf(await call(sim.baseUrl, 'GET', `${LIST}?limit=100`), ref)).toBe(
      'needsVerification',
    );
    await sim.completeHostedFlow(ref);
    await sim.webhooksIdle();
    expect(bodyOf(receiver.received[1]!).data.status).toBe('approved');
  });

  it('lets an explicit outcome win over the keyword', async () => {
    const ref = await createdUser(sim.baseUrl, email('override'), 'DoeDenied');
    await sim.completeHostedFlow(ref, 'approved');
    const other = await createdUser(sim.baseUrl, email('override'), 'DoeApproved');
    await sim.completeHostedFlow(other, 'denied');
    await sim.webhooksIdle();
    expect(receiver.received.map((delivery) => bodyOf(delivery).data.status)).toEqual(['approved', 'denied']);
  });

  it('refuses to complete a decided user or an unknown one', async () => {
    const ref = await createdUser(sim.baseUrl, email('decided'));
    await sim.completeHostedFlow(ref, 'denied');
    await expect(sim.completeHostedFlow(ref)).rejects.toMatchObject({ status: 400 });
    await expect(sim.completeHostedFlow('kycsim-user-nobody')).rejects.toMatchObject({ status: 404 });
  });

  it('moves a user to any state with setUserState, announcing decided states only', async () => {
    const ref = await createdUser(sim.baseUrl, email('set'));
    await sim.setUserState(ref, 'persona_failed');
    await sim.setUserState(ref, 'pending_kyc');
    await sim.setUserState(ref, 'pending_kyc');
    await sim.setUserState(ref, 'needsVerification');
    await sim.setUserState(ref, 'approved');
    await sim.webhooksIdle();
    expect(receiver.received.map((delivery) => bodyOf(delivery).data.status)).toEqual([
      'denied',
      'needsVerification',
      'approved',
    ]);
    expect(bodyOf(receiver.received[0]!).data.reason).toBe('PERSONA_VERIFICATION_FAILED');
    await expect(sim.setUserState(ref, 'frozen')).rejects.toMatchObject({ status: 400 });
  });
});

describe('retry KYC', () => {
  it('answers an unknown user with 400 USER_NOT_FOUND', async () => {
    const answer = await call(sim.baseUrl, 'POST', RETRY('kycsim-user-nobody'));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', message: 'USER_NOT_FOUND' });
  });

  it('retries only denied users', async () => {
    const ref = await createdUser(sim.baseUrl, email('retry-pending'));
    const answer = await call(sim.baseUrl, 'POST', RETRY(ref));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 'error', message: 'BAD_REQUEST' });
  });

  it('re-submits automatically when Persona passed (applicationStatus pending), no webhook until decided', async () => {
    const ref = await createdUser(sim.baseUrl, email('retry-auto'), 'DoeDenied');
    await sim.completeHostedFlow(ref);
    const answer = await call(sim.baseUrl, 'POST', RETRY(ref));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      status: 'success',
      message: 'KYC retry initiated successfully',
      data: { serviceId: ref, applicationStatus: 'pending', retryCount: 1 },
    });
    expect(listedStatusOf(await call(sim.baseUrl, 'GET', `${LIST}?limit=100`), ref)).toBe('pending_kyc');
    await sim.completeHostedFlow(ref, 'approved');
    await sim.webhooksIdle();
    expect(receiver.received.map((delivery) => bodyOf(delivery).data.status)).toEqual(['denied', 'approved']);
  });

  it('opens a new Persona inquiry when Persona failed (verificationUrl)', async () => {
    const ref = await createdUser(sim.baseUrl, email('retry-persona'));
    const before = sim.users().find((user) => user.ref === ref)!.verificationUrl;
    await sim.setUserState(ref, 'persona_failed');
    const answer = await call(sim.baseUrl, 'POST', RETRY(ref));
    const data = (answer.json as { data: { verificationUrl: string; retryCount: number } }).data;
    expect(data.retryCount).toBe(1);
    expect(data.verificationUrl).toMatch(/^https:\/\/.+inquiry-id=inq_/);
    expect(data.verificationUrl).not.toBe(before);
    expect(data).not.toHaveProperty('applicationStatus');
  });

  it('allows 3 retries, then answers 400 (generic code by default)', async () => {
    const ref = await createdUser(sim.baseUrl, email('retry-cap'), 'DoeDenied');
    await sim.completeHostedFlow(ref);
    for (let retry = 1; retry <= 3; retry += 1) {
      const answer = await call(sim.baseUrl, 'POST', RETRY(ref));
      expect((answer.json as { data: { retryCount: number } }).data.retryCount).toBe(retry);
      await sim.completeHostedFlow(ref);
    }
    const capped = await call(sim.baseUrl, 'POST', RETRY(ref));
    expect(capped.status).toBe(400);
    expect(capped.json).toMatchObject({ status: 'error', message: 'BAD_REQUEST' });
    expect(sim.users().find((user) => user.ref === ref)).toMatchObject({
      retryCount: 3,
      attempts: 4,
      providerStatus: 'denied',
    });
  });

  it('refuses a reused idempotency key, and works without one', async () => {
    const ref = await createdUser(sim.baseUrl, email('retry-key'));
    await sim.setUserState(ref, 'denied');
    const key = 'b0d1a1f8-6a3e-4c55-9a30-7f1f0c2c0003';
    expect((await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key })).status).toBe(200);
    await sim.setUserState(ref, 'denied');
    const reused = await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: key });
    expect(reused.status).toBe(400);
    expect(reused.json).toMatchObject({ message: 'BAD_REQUEST' });
    expect((await call(sim.baseUrl, 'POST', RETRY(ref), { idempotencyKey: null })).status).toBe(200);
  });
});

describe('webhook re-delivery', () => {
  it('uses the documented first delay (5 minutes) scaled down 1000x by default', () => {
    expect(PLU_WEBHOOK_RETRY_DELAYS_MS).toEqual([300, 600, 1_200]);
  });

  it('re-delivers the same bytes until the receiver answers 2xx, and gives up after the schedule', async () => {
    const local = await startPluSimulator({ webhookUrl: receiver.url, webhookRetryDelaysMs: [5, 10, 20] });
    try {
      let failures = 2;
      receiver.respond = () => (failures-- > 0 ? 500 : 200);
      const ref = await createdUser(local.baseUrl, email('redeliver'));
      await local.completeHostedFlow(ref, 'approved');
      await local.webhooksIdle();
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((delivery) => delivery.rawBody)).size).toBe(1);
      expect(new Set(receiver.received.map((delivery) => delivery.headers['x-webhook-signature'])).size).toBe(
        1,
      );
      expect(local.webhookDeliveries[0]).toMatchObject({
        attempts: [500, 500, 200],
        delivered: true,
        abandoned: false,
      });

      receiver.respond = () => 503;
      const other = await createdUser(local.baseUrl, email('redeliver'));
      await local.completeHostedFlow(other, 'denied');
      await local.webhooksIdle();
      expect(local.webhookDeliveries[1]).toMatchObject({
        attempts: [503, 503, 503, 503],
        delivered: false,
        abandoned: true,
      });
    } finally {
      await local.close();
    }
  });

  it('records deliveries without sending while no webhook URL is set', async () => {
    const local = await startPluSimulator();
    try {
      const ref = await createdUser(local.baseUrl, email('nourl'));
      await local.completeHostedFlow(ref);
      await local.webhooksIdle();
      expect(local.webhookDeliveries).toHaveLength(1);
      expect(local.webhookDeliveries[0]?.attempts).toEqual([]);
    } finally {
      await local.close();
    }
  });
});

describe('faults and the HTTP control API', () => {
  it('injects a 429 with Retry-After over /__control/faults, once, and logs it', async () => {
    const inject = await fetch(`${sim.baseUrl}/__control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fault: { type: 'status', status: 429, retryAfterSeconds: 2 },
        method: 'GET',
        path: LIST,
      }),
    });
    expect(inject.status).toBe(200);
    await inject.text();
    const limited = await call(sim.baseUrl, 'GET', LIST);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await call(sim.baseUrl, 'GET', LIST)).status).toBe(200);
    expect(sim.requests.some((entry) => entry.status === 429 && entry.fault === 'status')).toBe(true);
    expect(sim.requests.some((entry) => entry.path.startsWith('/__control'))).toBe(false);
  });

  it('clears faults with DELETE /__control/faults', async () => {
    sim.injectFault({ fault: { type: 'status', status: 500 }, times: 5 });
    const cleared = await fetch(`${sim.baseUrl}/__control/faults`, { method: 'DELETE' });
    await cleared.text();
    expect((await call(sim.baseUrl, 'GET', LIST)).status).toBe(200);
  });

  it('completes flows, sets states, lists users and deliveries over HTTP', async () => {
    const ref = await createdUser(sim.baseUrl, email('control'), 'DoeDenied');
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${sim.baseUrl}/__control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as unknown };
    };
    expect((await post(`/users/${ref}/complete`, {})).status).toBe(200);
    expect((await post(`/users/${ref}/complete`, {})).status).toBe(400);
    expect((await post(`/users/kycsim-user-nobody/complete`, {})).status).toBe(404);
    expect((await post(`/users/${ref}/state`, { state: 'nope' })).status).toBe(400);
    expect((await post(`/users/${ref}/state`, { state: 'approved' })).status).toBe(200);
    const listed = (await (await fetch(`${sim.baseUrl}/__control/users`)).json()) as {
      users: Array<{ ref: string; providerStatus: string; state: string }>;
    };
    expect(listed.users.find((user) => user.ref === ref)).toMatchObject({
      providerStatus: 'approved',
      state: 'approved',
    });
    await sim.webhooksIdle();
    const deliveries = (await (await fetch(`${sim.baseUrl}/__control/webhooks`)).json()) as {
      deliveries: Array<{ delivered: boolean }>;
    };
    expect(deliveries.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(receiver.received.map((delivery) => bodyOf(delivery).data.status)).toEqual(['denied', 'approved']);
  });

  it('changes the webhook URL with PUT /__control/webhook-url', async () => {
    const other = await startReceiver();
    try {
      const put = await fetch(`${sim.baseUrl}/__control/webhook-url`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: other.url }),
      });
      await put.text();
      const ref = await createdUser(sim.baseUrl, email('moved'));
      await sim.completeHostedFlow(ref);
      await sim.webhooksIdle();
      expect(other.received).toHaveLength(1);
      expect(receiver.received).toHaveLength(0);
    } finally {
      sim.setWebhookUrl(receiver.url);
      await other.close();
    }
  });
});
