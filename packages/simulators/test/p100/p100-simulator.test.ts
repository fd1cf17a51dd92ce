/** The P100 simulator over HTTP: auth, validation, the state machine, P100's rules, faults and webhooks. */
import {
  P100_SIMULATOR_API_KEY,
  P100_SIMULATOR_WEBHOOK_TOKEN,
  p100ConventionalOutcome,
  startP100Simulator,
} from '../../src/p100';
import type { P100Simulator } from '../../src/p100';
import { SimulatorControlError } from '../../src';
import {
  call,
  createUserBody,
  documentDataBody,
  filesForm,
  startReceiver,
  startVerificationBody,
} from './support';
import type { ReceivedWebhook, Receiver } from './support';

/** A delivery's JSON body. (The adapter's reading of these webhooks is tested in packages/p100.) */
function payload(delivery: ReceivedWebhook): Record<string, unknown> {
  return JSON.parse(delivery.rawBody) as Record<string, unknown>;
}

describe('P100 simulator', () => {
  let sim: P100Simulator;
  let receiver: Receiver;
  let counter = 0;
  const nextId = (label: string) => `${label}-${(counter += 1)}`;
  const post = (path: string, body?: unknown, apiKey?: string | null) =>
    call(sim.baseUrl, 'POST', path, body, apiKey);
  const get = (path: string, apiKey?: string | null) => call(sim.baseUrl, 'GET', path, undefined, apiKey);
  const status = (id: string) => get(`/v1/kyc/status/${id}`);

  async function createdUser(lastName = 'Kowalski'): Promise<string> {
    const id = nextId('user');
    const answer = await post('/v1/user/balances/crypto-and-fiat', createUserBody(id, lastName));
    expect(answer.status).toBe(201);
    return id;
  }

  async function startedUser(lastName = 'Kowalski'): Promise<{ id: string; verificationId: string }> {
    const id = await createdUser(lastName);
    const answer = await post('/v1/kyc', startVerificationBody(id));
    expect(answer.status).toBe(201);
    return { id, verificationId: (answer.json as { verificationId: string }).verificationId };
  }

  /** Method B to the end (the default): the accepted capture, the document data, P100's verdict. */
  async function approveWithData(id: string): Promise<void> {
    await sim.completeHostedFlow(id, 'approved');
    expect((await post('/v1/user/verification', documentDataBody(id, nextId('doc')))).status).toBe(201);
    await sim.completeHostedFlow(id, 'approved');
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startP100Simulator({ webhookUrl: receiver.url });
  });
  afterEach(async () => {
    sim.clearFaults();
    await sim.webhooksIdle();
    receiver.received.length = 0;
    receiver.respond = () => 200;
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('binds loopback on a free port and exposes settings and environment for the adapter', () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.provider).toBe('p100');
    expect(sim.adapterSettings).toEqual({
      apiKey: P100_SIMULATOR_API_KEY,
      baseUrl: sim.baseUrl,
      webhookToken: P100_SIMULATOR_WEBHOOK_TOKEN,
    });
    expect(sim.environment).toEqual({
      KYC_PROVIDER: 'p100',
      P100_API_KEY: P100_SIMULATOR_API_KEY,
      P100_BASE_URL: sim.baseUrl,
      P100_WEBHOOK_TOKEN: P100_SIMULATOR_WEBHOOK_TOKEN,
    });
  });

  describe('authentication', () => {
    it('answers 401 Access Denied. xo1 without x-api-key and xo2 with a wrong one, as plain text', async () => {
      const missing = await get('/v1/kyc/status/anyone', null);
      expect([missing.status, missing.text]).toEqual([401, 'Access Denied. xo1']);
      expect(missing.contentType).toMatch(/^text\/plain/);
      const wrong = await post('/v1/kyc', startVerificationBody('anyone'), 'not-the-key');
      expect([wrong.status, wrong.text]).toEqual([401, 'Access Denied. xo2']);
      const blank = await get('/v1/kyc/status/anyone', ' ');
      expect(blank.text).toBe('Access Denied. xo1');
    });
  });

  describe('Create User Account', () => {
    it('creates a user (new response generation) and refuses a reused externalUserId with P411', async () => {
      const id = nextId('create');
      const created = await post('/v1/user/balances/crypto-and-fiat', createUserBody(id));
      expect(created.status).toBe(201);
      expect(created.json).toEqual({ userId: expect.any(String), poaRequiredForExtended: false });
      const again = await post('/v1/user/balances/crypto-and-fiat', createUserBody(id));
      expect([again.status, again.json]).toEqual([
        400,
        { errorCode: 'P411', errorName: 'user-exists', errorMessage: expect.any(String) },
      ]);
      const ua = await post('/v1/user/balances/crypto-and-fiat', {
        ...createUserBody(nextId('ua')),
        country: 'UA',
      });
      expect(ua.json).toMatchObject({ poaRequiredForExtended: true });
    });

    it('answers validation errors as P403 with concatenated messages and no errorName', async () => {
      const answer = await post('/v1/user/balances/crypto-and-fiat', {
        ...createUserBody(nextId('bad')),
        hasAcceptedP100Tc: false,
        phone: '+48 601',
        citizenship: undefined,
        birthDate: '2999-01-01',
      });
      expect(answer.status).toBe(400);
      const body = answer.json as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['errorCode', 'errorMessage']);
      expect(body.errorCode).toBe('P403');
      for (const field of ['hasAcceptedP100Tc', 'phone', 'citizenship', 'birthDate'])
        expect(body.errorMessage).toContain(field);
      const notJson = await post('/v1/user/balances/crypto-and-fiat', undefined);
      expect(notJson.json).toMatchObject({ errorCode: 'P403' });
    });
  });

  describe('Creating KYC Verification, redirect and status', () => {
    it('moves created (P445) -> NOT_VERIFIED/PENDING and serves the redirect page without an API key', async () => {
      const id = await createdUser();
      const before = await status(id);
      expect([before.status, before.json]).toEqual([
        404,
        { errorCode: 'P445', errorName: 'kyc-not-found', errorMessage: 'KYC not found' },
      ]);
      const started = await post('/v1/kyc', startVerificationBody(id));
      expect(started.status).toBe(201);
      const { verificationId } = started.json as { verificationId: string };
      expect(verificationId).toMatch(/^[0-9a-f-]{36}$/);
      expect((await status(id)).json).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
      const page = await get(`/v1/kyc/verification/${id}/${verificationId}`, null);
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^text\/html/);
      expect(page.text).toContain(verificationId);
      expect((await get(`/v1/kyc/verification/${id}/not-a-verification`, null)).json).toMatchObject({
        errorCode: 'P445',
      });
      expect((await get(`/v1/kyc/verification/nobody/${verificationId}`, null)).json).toMatchObject({
        errorCode: 'P412',
      });
    });

    it('answers P412 for an unknown user, as documented (HTTP 400, invalid-user)', async () => {
      const answer = await status('nobody-here');
      expect([answer.status, answer.json]).toEqual([
        400,
        { errorCode: 'P412', errorName: 'invalid-user', errorMessage: 'User does not exist' },
      ]);
      expect((await post('/v1/kyc', startVerificationBody('nobody-here'))).json).toMatchObject({
        errorCode: 'P412',
      });
    });

    it('checks the verification fields (P403), including the ones the income source requires', async () => {
      const id = await createdUser();
      const answer = await post('/v1/kyc', {
        ...startVerificationBody(id),
        occupation: undefined,
        openAccountReason: 'FUN',
        country: 'Poland',
      });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ errorCode: 'P403', errorMessage: expect.any(String) });
      const message = (answer.json as { errorMessage: string }).errorMessage;
      for (const field of ['occupation', 'openAccountReason', 'country']) expect(message).toContain(field);
      const business = await post('/v1/kyc', {
        ...startVerificationBody(id),
        incomeSource: 'BUSINESS_ACTIVITY',
        occupation: undefined,
        additionalInfo: undefined,
      });
      expect((business.json as { errorMessage: string }).errorMessage).toContain('taxId');
    });
  });

  describe('hosted flow and the sandbox convention', () => {
    it('decides the outcome from the end of lastName when none is given', async () => {
      expect(p100ConventionalOutcome('Kowalski Denied')).toBe('denied');
      expect(p100ConventionalOutcome('Kowalski-approved')).toBe('approved');
      expect(p100ConventionalOutcome('Kowalski')).toBe('approved');

      const denied = await startedUser('Kowalski Denied');
      await sim.completeHostedFlow(denied.id);
      expect((await status(denied.id)).json).toEqual({
        status: 'NOT_VERIFIED',
        attemptStatus: 'REJECTED_BY_PROVIDER',
        rejectionReason: 'NO_FACE_FOUND',
      });
      // Approved: the capture is accepted; the document data is due (Method B step 5).
      const approved = await startedUser('Kowalski Approved');
      await sim.completeHostedFlow(approved.id);
      expect((await status(approved.id)).json).toEqual({
        status: 'NOT_VERIFIED',
        attemptStatus: 'SUCCESSFUL',
      });
      // An explicit outcome wins over the name.
      const overridden = await startedUser('Kowalski Denied');
      await sim.completeHostedFlow(overridden.id, 'approved');
      expect((await status(overridden.id)).json).toMatchObject({ attemptStatus: 'SUCCESSFUL' });
    });

    it('walks denied -> new verification -> approved, then refuses more verifications with P442', async () => {
      const { id } = await startedUser();
      await sim.completeHostedFlow(id, 'denied');
      expect(sim.users().find((user) => user.ref === id)).toEqual({
        ref: id,
        providerStatus: 'NOT_VERIFIED/REJECTED_BY_PROVIDER',
        attempts: 1,
      });
      const retry = await post('/v1/kyc', startVerificationBody(id));
      expect(retry.status).toBe(201);
      expect((await status(id)).json).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
      await approveWithData(id);
      expect((await status(id)).json).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
      const again = await post('/v1/kyc', startVerificationBody(id));
      expect([again.status, again.json]).toEqual([400, expect.objectContaining({ errorCode: 'P442' })]);
    });

    it('caps verifications at 3 per user with P430 "Too many verifications" (startVerificationCap P430)', async () => {
      const capped3 = await startP100Simulator({ startVerificationCap: 'P430' });
      const previous = sim;
      sim = capped3;
      try {
        await capAtThree();
      } finally {
        sim = previous;
        await capped3.close();
      }
    });

    async function capAtThree(): Promise<void> {
      const { id } = await startedUser();
      for (let attempt = 2; attempt <= 3; attempt += 1) {
        await sim.completeHostedFlow(id, 'denied');
        expect((await post('/v1/kyc', startVerificationBody(id))).status).toBe(201);
      }
      await sim.completeHostedFlow(id, 'denied');
      const capped = await post('/v1/kyc', startVerificationBody(id));
      expect([capped.status, capped.json]).toEqual([
        400,
        { errorCode: 'P430', errorName: 'too-many-verifications', errorMessage: 'Too many verifications' },
      ]);
      expect(sim.users().find((user) => user.ref === id)?.attempts).toBe(3);
    }

    it('refuses to complete a flow that is not in progress, and unknown users', async () => {
      const id = await createdUser();
      await expect(sim.completeHostedFlow(id)).rejects.toMatchObject({ status: 400 });
      await expect(sim.completeHostedFlow('nobody')).rejects.toBeInstanceOf(SimulatorControlError);
      await expect(sim.completeHostedFlow('nobody')).rejects.toMatchObject({ status: 404 });
      await expect(sim.setUserState(id, 'ALMOST/THERE')).rejects.toMatchObject({ status: 400 });
    });

    it('moves users to any P100 state with setUserState', async () => {
      const id = await createdUser();
      await sim.setUserState(id, 'EXPIRED/SUCCESSFUL');
      expect((await status(id)).json).toEqual({ status: 'EXPIRED', attemptStatus: 'SUCCESSFUL' });
      await sim.setUserState(id, 'NOT_VERIFIED/REJECTED_BY_PROVIDER:DOCUMENT_DAMAGED');
      expect((await status(id)).json).toMatchObject({ rejectionReason: 'DOCUMENT_DAMAGED' });
      await sim.setUserState(id, 'NOT_VERIFIED/VERIFICATION');
      await sim.completeHostedFlow(id, 'approved');
      expect((await status(id)).json).toMatchObject({ status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
      await sim.setUserState(id, 'VERIFIED/SUCCESSFUL');
      expect((await status(id)).json).toMatchObject({ status: 'VERIFIED' });
      await sim.setUserState(id, 'KYC_NOT_FOUND');
      expect((await status(id)).status).toBe(404);
    });
  });

  describe('Add User Verification', () => {
    it('requires the parameters (P473) and valid values (P403)', async () => {
      const id = await createdUser();
      const missing = await post('/v1/user/verification', {
        ...documentDataBody(id),
        documentNumber: undefined,
      });
      expect([missing.status, missing.json]).toEqual([400, expect.objectContaining({ errorCode: 'P473' })]);
      const invalid = await post('/v1/user/verification', {
        ...documentDataBody(id),
        documentExpirationDate: '2030-02-30',
      });
      expect(invalid.json).toEqual({
        errorCode: 'P403',
        errorMessage: expect.stringContaining('documentExpirationDate'),
      });
      expect((await post('/v1/user/verification', documentDataBody('nobody'))).json).toMatchObject({
        errorCode: 'P412',
      });
    });

    it('answers 404 P427 without KYC files and P446 after an expired or rejected KYC', async () => {
      const id = await createdUser();
      const noFiles = await post('/v1/user/verification', documentDataBody(id, nextId('doc')));
      expect([noFiles.status, noFiles.json]).toEqual([404, expect.objectContaining({ errorCode: 'P427' })]);
      await sim.setUserState(id, 'EXPIRED/SUCCESSFUL');
      const expired = await post('/v1/user/verification', documentDataBody(id, nextId('doc')));
      expect([expired.status, expired.json]).toEqual([400, expect.objectContaining({ errorCode: 'P446' })]);
    });

    it('Method A: files, then data, then the review; P466 for a document number in use', async () => {
      const id = await createdUser();
      const upload = await post(
        `/v1/user/kyc-files/${id}`,
        filesForm([
          { type: 'image/jpeg', size: 32 },
          { type: 'image/jpeg', size: 32 },
          { type: 'image/png', size: 32 },
        ]),
      );
      expect(upload.status).toBe(201);
      const number = nextId('doc');
      const data = await post('/v1/user/verification', documentDataBody(id, number));
      expect([data.status, data.json]).toEqual([
        201,
        { message: 'Verification documents to user added successfully' },
      ]);
      expect((await status(id)).json).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'PENDING' });
      await sim.completeHostedFlow(id, 'approved');
      expect((await status(id)).json).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
      expect((await post('/v1/user/verification', documentDataBody(id, number))).json).toMatchObject({
        errorCode: 'P442',
      });

      const other = await createdUser();
      await post(`/v1/user/kyc-files/${other}`, filesForm([{ type: 'image/jpeg', size: 8 }]));
      expect((await post('/v1/user/verification', documentDataBody(other, number))).json).toMatchObject({
        errorCode: 'P466',
      });
    });

    it('documentDataProcessing immediate: the accepted capture waits for the document data, which verifies', async () => {
      const strict = await startP100Simulator({ documentDataProcessing: 'immediate' });
      try {
        const id = nextId('strict');
        await call(strict.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', createUserBody(id));
        await call(strict.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id));
        await strict.completeHostedFlow(id, 'approved');
        const accepted = await call(strict.baseUrl, 'GET', `/v1/kyc/status/${id}`);
        expect(accepted.json).toEqual({ status: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' });
        const data = await call(
          strict.baseUrl,
          'POST',
          '/v1/user/verification',
          documentDataBody(id, nextId('doc')),
        );
        expect(data.status).toBe(201);
        const verified = await call(strict.baseUrl, 'GET', `/v1/kyc/status/${id}`);
        expect(verified.json).toEqual({ status: 'VERIFIED', attemptStatus: 'SUCCESSFUL' });
        expect(strict.webhookDeliveries.map((delivery) => delivery.body)).toEqual([
          { externalUserId: id, verificationStatus: 'NOT_VERIFIED', attemptStatus: 'SUCCESSFUL' },
          { externalUserId: id, verificationStatus: 'VERIFIED', attemptStatus: 'SUCCESSFUL' },
          { externalUserId: id, status: 'ACTIVE' },
        ]);
      } finally {
        await strict.close();
      }
    });

    it('requireDocumentData false still accepts the document data once after a hosted approval', async () => {
      const loose = await startP100Simulator({ requireDocumentData: false });
      try {
        const id = nextId('loose');
        await call(loose.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', createUserBody(id));
        await call(loose.baseUrl, 'POST', '/v1/kyc', startVerificationBody(id));
        await loose.completeHostedFlow(id, 'approved');
        const number = nextId('doc');
        const data = () => call(loose.baseUrl, 'POST', '/v1/user/verification', documentDataBody(id, number));
        expect((await data()).status).toBe(201);
        expect((await data()).json).toMatchObject({ errorCode: 'P442' });
      } finally {
        await loose.close();
      }
    });
  });

  describe('uploads', () => {
    it('refuses a wrong file type (P426), a file over 5 MiB (P440) and more than 3 files (P403)', async () => {
      const id = await createdUser();
      const gif = await post(`/v1/user/kyc-files/${id}`, filesForm([{ type: 'image/gif', size: 8 }]));
      expect([gif.status, gif.json]).toEqual([400, expect.objectContaining({ errorCode: 'P426' })]);
      const large = await post(
        `/v1/user/poa-files/${id}`,
        filesForm([{ type: 'application/pdf', size: 5 * 1024 * 1024 + 1 }]),
      );
      expect([large.status, large.json]).toEqual([400, expect.objectContaining({ errorCode: 'P440' })]);
      const many = await post(
        `/v1/user/poa-files/${id}`,
        filesForm(Array(4).fill({ type: 'image/png', size: 8 })),
      );
      expect(many.json).toMatchObject({ errorCode: 'P403' });
      const none = await post(`/v1/user/kyc-files/${id}`, { not: 'multipart' });
      expect(none.json).toMatchObject({ errorCode: 'P403' });
      expect(
        (await post('/v1/user/kyc-files/nobody', filesForm([{ type: 'image/png', size: 8 }]))).json,
      ).toMatchObject({
        errorCode: 'P412',
      });
    });

    it('POA: 201, then 202 P211 while pending, then P447 once approved', async () => {
      const id = await createdUser();
      const form = () => filesForm([{ type: 'application/pdf', size: 64 }]);
      expect((await post(`/v1/user/poa-files/${id}`, form())).status).toBe(201);
      const pending = await post(`/v1/user/poa-files/${id}`, form());
      expect([pending.status, pending.json]).toEqual([202, expect.objectContaining({ errorCode: 'P211' })]);
      await sim.setUserState(id, 'POA/APPROVED');
      expect((await post(`/v1/user/poa-files/${id}`, form())).json).toMatchObject({ errorCode: 'P447' });
    });
  });

  describe('faults and the control API over HTTP', () => {
    it('answers P501 with HTTP 400 (P100 irregular status) on demand, in-process and over HTTP', async () => {
      const id = await createdUser();
      sim.injectProviderError({ method: 'GET', path: '/v1/kyc/status/{externalUserId}' });
      const first = await status(id);
      expect([first.status, first.json]).toEqual([
        400,
        {
          errorCode: 'P501',
          errorName: 'service-unavailable',
          errorMessage: 'Service temporarily unavailable',
        },
      ]);
      expect((await status(id)).status).toBe(404);
      const control = await call(
        sim.baseUrl,
        'POST',
        '/__control/p100/provider-error',
        { code: 'P500', times: 2 },
        null,
      );
      expect(control.status).toBe(200);
      expect((await status(id)).json).toMatchObject({ errorCode: 'P500' });
      expect((await post('/v1/kyc', startVerificationBody(id))).json).toMatchObject({ errorCode: 'P500' });
      expect((await status(id)).status).toBe(404);
      const bad = await call(sim.baseUrl, 'POST', '/__control/p100/provider-error', { code: 'P999' }, null);
      expect(bad.status).toBe(400);
    });

    it('drives users, faults and the webhook URL through /__control', async () => {
      const id = await createdUser();
      await post('/v1/kyc', startVerificationBody(id));
      const complete = await call(
        sim.baseUrl,
        'POST',
        `/__control/users/${id}/complete`,
        { outcome: 'denied' },
        null,
      );
      expect(complete.status).toBe(200);
      const users = await call(sim.baseUrl, 'GET', '/__control/users', undefined, null);
      expect((users.json as { users: unknown[] }).users).toContainEqual({
        ref: id,
        providerStatus: 'NOT_VERIFIED/REJECTED_BY_PROVIDER',
        attempts: 1,
      });
      const state = await call(
        sim.baseUrl,
        'POST',
        `/__control/users/${id}/state`,
        { state: 'VERIFIED/SUCCESSFUL' },
        null,
      );
      expect(state.status).toBe(200);
      const badState = await call(
        sim.baseUrl,
        'POST',
        `/__control/users/${id}/state`,
        { state: 'NOPE' },
        null,
      );
      expect(badState.status).toBe(400);
      expect((await call(sim.baseUrl, 'POST', '/__control/users/nobody/complete', {}, null)).status).toBe(
        404,
      );

      const fault = await call(
        sim.baseUrl,
        'POST',
        '/__control/faults',
        { fault: { type: 'status', status: 429, retryAfterSeconds: 2 }, method: 'GET' },
        null,
      );
      expect(fault.status).toBe(200);
      const limited = await fetch(`${sim.baseUrl}/v1/kyc/status/${id}`, {
        headers: { 'x-api-key': P100_SIMULATOR_API_KEY },
      });
      await limited.text();
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
      expect((await status(id)).json).toMatchObject({ status: 'VERIFIED' });
    });
  });

  describe('webhooks', () => {
    it('sends the KYC status and user ACTIVE webhooks with the raw token in Authorization', async () => {
      const { id } = await startedUser();
      await sim.completeHostedFlow(id, 'denied');
      await sim.webhooksIdle();
      await post('/v1/kyc', startVerificationBody(id));
      await approveWithData(id);
      await sim.webhooksIdle();
      for (const delivery of receiver.received) {
        expect(delivery.headers.authorization).toBe(P100_SIMULATOR_WEBHOOK_TOKEN);
        expect(delivery.headers['content-type']).toBe('application/json');
      }
      const bodies = receiver.received.map(payload);
      expect(bodies.map((body) => body.externalUserId)).toEqual([id, id, id, id]);
      // The denial was delivered before the retry; the approval and ACTIVE travel independently (no order).
      expect(bodies[0]).toEqual({
        externalUserId: id,
        verificationStatus: 'NOT_VERIFIED',
        attemptStatus: 'REJECTED_BY_PROVIDER',
        rejectionReason: 'NO_FACE_FOUND',
      });
      // Then the accepted capture (document data due), then the verdict on the data.
      expect(bodies[1]).toEqual({
        externalUserId: id,
        verificationStatus: 'NOT_VERIFIED',
        attemptStatus: 'SUCCESSFUL',
      });
      const rest = bodies.slice(2);
      expect(rest).toContainEqual({
        externalUserId: id,
        verificationStatus: 'VERIFIED',
        attemptStatus: 'SUCCESSFUL',
      });
      expect(rest).toContainEqual({ externalUserId: id, status: 'ACTIVE' });
    });

    it('sends KYC File Added (ADDED / ERROR) and POA status webhooks', async () => {
      const id = await createdUser();
      await post(`/v1/user/kyc-files/${id}`, filesForm([{ type: 'image/png', size: 8 }]));
      await post(`/v1/user/kyc-files/${id}`, filesForm([{ type: 'text/plain', size: 8 }]));
      await post(`/v1/user/poa-files/${id}`, filesForm([{ type: 'application/pdf', size: 8 }]));
      await sim.webhooksIdle();
      for (const delivery of receiver.received) {
        expect(delivery.headers.authorization).toBe(P100_SIMULATOR_WEBHOOK_TOKEN);
      }
      // KYC File Added and POA Verification Status share one shape; the status value tells them apart.
      expect(
        receiver.received.map(payload).sort((a, b) => String(a.status).localeCompare(String(b.status))),
      ).toEqual([
        { externalUserId: id, status: 'ADDED' },
        { externalUserId: id, status: 'ERROR' },
        { externalUserId: id, status: 'WAITING' },
      ]);
    });

    it('re-delivers the same bytes on failure: 5 attempts in all, then gives up', async () => {
      let failures = 2;
      receiver.respond = () => (failures-- > 0 ? 500 : 200);
      const first = await startedUser();
      await sim.completeHostedFlow(first.id, 'denied');
      await sim.webhooksIdle();
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((delivery) => delivery.rawBody)).size).toBe(1);
      const record = sim.webhookDeliveries[sim.webhookDeliveries.length - 1];
      expect(record).toMatchObject({ attempts: [500, 500, 200], delivered: true });

      receiver.received.length = 0;
      receiver.respond = () => 503;
      const second = await startedUser();
      await sim.completeHostedFlow(second.id, 'denied');
      await sim.webhooksIdle();
      expect(receiver.received).toHaveLength(5);
      expect(sim.webhookDeliveries[sim.webhookDeliveries.length - 1]).toMatchObject({
        attempts: [503, 503, 503, 503, 503],
        delivered: false,
        abandoned: true,
      });
      const log = await call(sim.baseUrl, 'GET', '/__control/webhooks', undefined, null);
      expect(
        (log.json as { deliveries: Array<{ abandoned: boolean }> }).deliveries.some((d) => d.abandoned),
      ).toBe(true);
    });
  });
});
