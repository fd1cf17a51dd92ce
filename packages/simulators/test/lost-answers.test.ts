/**
 * "Answer lost after acting" on each simulator: the provider call fully happens (the user is
 * created, the attempt started) and the client gets no answer; "timeout before acting": the
 * client gets no answer and nothing happened. Driven over the HTTP control API, as a non-Node host
 * would, and checked with the simulators' own records.
 */
import { startP100Simulator } from '../src/p100';
import type { P100Simulator } from '../src/p100';
import { startPlaidSimulator } from '../src/plaid';
import type { PlaidSimulator } from '../src/plaid';
import { startPluSimulator } from '../src/plu';
import type { PluSimulator } from '../src/plu';
import type { ProviderSimulator } from '../src/provider-simulator';
import { call as p100Call, createUserBody as p100UserBody, startVerificationBody } from './p100/support';
import { createBody as plaidCreateBody, post as plaidPost } from './plaid/support';
import { call as pluCall, createUserBody as pluUserBody, createdUser as pluCreatedUser } from './plu/support';

const PLU_CREATE = '/api/v2/partner/card/users';
const P100_CREATE = '/v1/user/balances/crypto-and-fiat';

let plu: PluSimulator;
let p100: P100Simulator;
let plaid: PlaidSimulator;
let counter = 0;
const next = (label: string) => `${label}-${(counter += 1)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [plu, p100, plaid] = await Promise.all([startPluSimulator(), startP100Simulator(), startPlaidSimulator()]);
});
afterAll(async () => {
  await Promise.all([plu.close(), p100.close(), plaid.close()]);
});

/** Injects a fault over `POST /__control/faults`. */
async function injectOverHttp(sim: ProviderSimulator, rule: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sim.baseUrl}/__control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(response.status).toBe(200);
}

const lastRequest = (sim: ProviderSimulator) => sim.requests[sim.requests.length - 1];

describe('plu', () => {
  it('answer_lost on create: no answer, but the user exists', async () => {
    await injectOverHttp(plu, { fault: { type: 'answer_lost' }, method: 'POST', path: PLU_CREATE });
    const email = `${next('lost')}@example.com`;
    await expect(pluCall(plu.baseUrl, 'POST', PLU_CREATE, { body: pluUserBody(email) })).rejects.toThrow();
    expect(plu.users().filter((user) => user.email === email)).toHaveLength(1);
    expect(lastRequest(plu)).toMatchObject({ status: 0, fault: 'answer_lost', handledStatus: 201 });
  });

  it('answer_lost on retry-kyc: no answer, but the retry happened (retryCount 1)', async () => {
    const ref = await pluCreatedUser(plu.baseUrl, `${next('lost-retry')}@example.com`);
    await plu.setUserState(ref, 'denied');
    await injectOverHttp(plu, {
      fault: { type: 'answer_lost' },
      method: 'POST',
      path: `${PLU_CREATE}/{id}/retry-kyc`,
    });
    await expect(pluCall(plu.baseUrl, 'POST', `${PLU_CREATE}/${ref}/retry-kyc`)).rejects.toThrow();
    expect(plu.users().find((user) => user.ref === ref)).toMatchObject({
      state: 'pending_kyc',
      retryCount: 1,
    });
  });

  it('timeout_before_acting on create: no answer and no user', async () => {
    await injectOverHttp(plu, { fault: { type: 'timeout_before_acting', ms: 50 }, method: 'POST' });
    const email = `${next('before')}@example.com`;
    await expect(pluCall(plu.baseUrl, 'POST', PLU_CREATE, { body: pluUserBody(email) })).rejects.toThrow();
    await sleep(60);
    expect(plu.users().filter((user) => user.email === email)).toHaveLength(0);
  });
});

describe('p100', () => {
  it('answer_lost on create: no answer, but the user exists (a repeat gets P411)', async () => {
    const id = next('lost');
    await injectOverHttp(p100, { fault: { type: 'answer_lost' }, method: 'POST', path: P100_CREATE });
    await expect(p100Call(p100.baseUrl, 'POST', P100_CREATE, p100UserBody(id))).rejects.toThrow();
    expect(p100.users().find((user) => user.ref === id)).toMatchObject({ providerStatus: 'KYC_NOT_FOUND' });
    expect((await p100Call(p100.baseUrl, 'POST', P100_CREATE, p100UserBody(id))).status).toBe(400);
  });

  it('timeout_after_acting on /v1/kyc: the client gives up, the verification was started', async () => {
    const id = next('late');
    expect((await p100Call(p100.baseUrl, 'POST', P100_CREATE, p100UserBody(id))).status).toBe(201);
    await injectOverHttp(p100, { fault: { type: 'timeout_after_acting', ms: 500 }, path: '/v1/kyc' });
    const started = fetch(`${p100.baseUrl}/v1/kyc`, {
      method: 'POST',
      headers: { 'x-api-key': String(p100.adapterSettings.apiKey), 'content-type': 'application/json' },
      body: JSON.stringify(startVerificationBody(id)),
      signal: AbortSignal.timeout(100),
    });
    await expect(started).rejects.toThrow();
    expect(p100.users().find((user) => user.ref === id)).toMatchObject({
      providerStatus: 'NOT_VERIFIED/PENDING',
      attempts: 1,
    });
  });
});

describe('plaid', () => {
  it('answer_lost on create: no answer, but the attempt exists', async () => {
    const ref = next('lost');
    await injectOverHttp(plaid, { fault: { type: 'answer_lost' }, path: '/identity_verification/create' });
    await expect(
      plaidPost(plaid.baseUrl, '/identity_verification/create', plaidCreateBody(ref)),
    ).rejects.toThrow();
    expect(plaid.users().find((user) => user.ref === ref)).toMatchObject({ attempts: 1 });
  });

  it('answer_lost on retry: no answer, but a second attempt was started', async () => {
    const ref = next('lost-retry');
    expect(
      (await plaidPost(plaid.baseUrl, '/identity_verification/create', plaidCreateBody(ref))).status,
    ).toBe(200);
    await plaid.completeHostedFlow(ref, 'denied');
    await injectOverHttp(plaid, { fault: { type: 'answer_lost' }, path: '/identity_verification/retry' });
    const body = { client_user_id: ref, template_id: plaid.templateId, strategy: 'reset' };
    await expect(plaidPost(plaid.baseUrl, '/identity_verification/retry', body)).rejects.toThrow();
    expect(plaid.attempts(ref)).toHaveLength(2);
    expect(plaid.attempts(ref)[1]).toMatchObject({ previous_attempt_id: plaid.attempts(ref)[0]?.id });
  });

  it('wrong_shape after acting on create: a 200 the client cannot read, and the attempt exists', async () => {
    const ref = next('junk');
    plaid.injectFault({
      fault: { type: 'wrong_shape', afterActing: true },
      path: '/identity_verification/create',
    });
    const answer = await plaidPost(plaid.baseUrl, '/identity_verification/create', plaidCreateBody(ref));
    expect([answer.status, answer.json]).toEqual([200, { unexpected: true, data: [] }]);
    expect(plaid.attempts(ref)).toHaveLength(1);
  });
});
