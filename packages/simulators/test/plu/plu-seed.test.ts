/**
 * `seedUsers` (a test convenience, not a Plu rule): users put straight into the Plu simulator's
 * memory as if created through the API: listed in order after the existing users, `pending_kyc`,
 * no webhook, no provider request; they then behave as created users (hosted flow, retry, the
 * unique email). Also over `POST /__control/users/seed`, with its input checked.
 */
import { PLU_SIMULATOR_MAX_SEED, startPluSimulator } from '../../src/plu';
import type { PluSimulator } from '../../src/plu';
import { call, createUserBody, createdUser, startReceiver } from './support';
import type { Receiver } from './support';

const LIST = '/api/v1/partner/card/users';

let sim: PluSimulator;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startPluSimulator({ webhookUrl: receiver.url });
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

afterEach(async () => {
  await sim.webhooksIdle();
  sim.reset();
  receiver.received.length = 0;
});

interface Listed {
  readonly users: ReadonlyArray<{ serviceId: string; status: string; email: string; lastName: string }>;
  readonly pagination: { skip: number; limit: number; total: number };
}

async function listPage(skip: number, limit: number): Promise<Listed> {
  const answer = await call(sim.baseUrl, 'GET', `${LIST}?skip=${skip}&limit=${limit}`);
  expect(answer.status).toBe(200);
  return (answer.json as { data: Listed }).data;
}

describe('plu simulator: seedUsers', () => {
  it('puts 20 000 users in memory at once, pending_kyc, with no request and no webhook', async () => {
    const serviceIds = await sim.seedUsers(20_000);
    expect(serviceIds).toHaveLength(20_000);
    expect(new Set(serviceIds).size).toBe(20_000);
    expect(serviceIds.every((id) => /^kycsim-user-[A-Za-z0-9]{15}$/.test(id))).toBe(true);
    const users = sim.users();
    expect(users.map((user) => user.ref)).toEqual(serviceIds);
    expect(users.every((user) => user.state === 'pending_kyc' && user.retryCount === 0)).toBe(true);
    expect(new Set(users.map((user) => user.email.toLowerCase())).size).toBe(20_000);
    await sim.webhooksIdle();
    expect(sim.webhookDeliveries).toHaveLength(0);
    expect(receiver.received).toHaveLength(0);
    expect(sim.requests).toHaveLength(0);
    const last = await listPage(19_900, 100);
    expect(last.pagination.total).toBe(20_000);
    expect(last.users.map((user) => user.serviceId)).toEqual(serviceIds.slice(19_900));
    expect(last.users.every((user) => user.status === 'pending_kyc')).toBe(true);
  });

  it('lists seeded users after the users created before them, in order', async () => {
    const first = await createdUser(sim.baseUrl, 'first@example.com');
    const seeded = await sim.seedUsers(3, { lastName: 'Denied' });
    const after = await createdUser(sim.baseUrl, 'after@example.com');
    const page = await listPage(0, 10);
    expect(page.users.map((user) => user.serviceId)).toEqual([first, ...seeded, after]);
    expect(page.users.slice(1, 4).every((user) => user.lastName === 'Denied')).toBe(true);
  });

  it('seeded users behave as created ones: the sandbox keyword, retry, and the unique email', async () => {
    const [serviceId] = await sim.seedUsers(1, { lastName: 'Doe Denied' });
    if (serviceId === undefined) throw new Error('no user seeded');
    await sim.completeHostedFlow(serviceId);
    await sim.webhooksIdle();
    expect(sim.users()[0]).toMatchObject({ state: 'denied', providerStatus: 'denied' });
    expect(receiver.received).toHaveLength(1);
    const retried = await call(sim.baseUrl, 'POST', `/api/v2/partner/card/users/${serviceId}/retry-kyc`);
    expect(retried.status).toBe(200);
    expect(sim.users()[0]).toMatchObject({ state: 'pending_kyc', retryCount: 1 });
    const taken = sim.users()[0]?.email ?? '';
    const duplicate = await call(sim.baseUrl, 'POST', '/api/v2/partner/card/users', {
      body: createUserBody(taken.toUpperCase()),
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toMatchObject({ message: 'DUP_USER' });
  });

  it('refuses a count out of range and unknown options', async () => {
    for (const count of [0, -1, 1.5, PLU_SIMULATOR_MAX_SEED + 1, Number.NaN])
      await expect(sim.seedUsers(count)).rejects.toMatchObject({
        name: 'SimulatorControlError',
        status: 400,
      });
    await expect(sim.seedUsers(1, { lastName: '' })).rejects.toMatchObject({ status: 400 });
    await expect(sim.seedUsers(1, { program: 'other' as never })).rejects.toMatchObject({ status: 400 });
    expect(sim.users()).toHaveLength(0);
  });

  it('is forgotten by reset', async () => {
    await sim.seedUsers(5);
    sim.reset();
    expect(sim.users()).toHaveLength(0);
  });
});

describe('plu simulator: POST /__control/users/seed', () => {
  async function seed(body: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${sim.baseUrl}/__control/users/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  it('seeds and answers the serviceIds, not logged as a provider request', async () => {
    const answer = await seed({ count: 3, lastName: 'Approved', program: 'non_custodial' });
    expect(answer.status).toBe(200);
    const { serviceIds } = answer.json as { serviceIds: string[] };
    expect(serviceIds).toHaveLength(3);
    expect(sim.users().map((user) => user.ref)).toEqual(serviceIds);
    expect(sim.users().every((user) => user.lastName === 'Approved')).toBe(true);
    expect(sim.requests).toHaveLength(0);
  });

  it.each([{}, { count: 'ten' }, { count: 0 }, { count: 2, program: 'x' }, { count: 2, lastName: 7 }])(
    'answers 400 to %j',
    async (body) => {
      const answer = await seed(body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: expect.stringContaining('plu simulator') });
      expect(sim.users()).toHaveLength(0);
    },
  );
});
