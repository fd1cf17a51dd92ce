/** `reset()` (and `POST /__control/reset`): a reused simulator starts over, settings kept. */
import { startSimulator } from '../src';
import { call as p100Call, createUserBody as p100UserBody } from './p100/support';
import { createBody as plaidCreateBody, post as plaidPost } from './plaid/support';
import { createdUser as pluCreatedUser } from './plu/support';

describe('reset', () => {
  it('forgets users, faults, the request log and the delivery log of each simulator', async () => {
    const plu = await startSimulator('plu', {
      webhookUrl: 'http://127.0.0.1:9/unreachable',
      webhookRetryDelaysMs: [],
    });
    const p100 = await startSimulator('p100');
    const plaid = await startSimulator('plaid');
    try {
      const ref = await pluCreatedUser(plu.baseUrl, 'reset@example.com');
      await plu.completeHostedFlow(ref);
      await plu.webhooksIdle();
      expect(
        (await p100Call(p100.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', p100UserBody('reset-1')))
          .status,
      ).toBe(201);
      expect(
        (await plaidPost(plaid.baseUrl, '/identity_verification/create', plaidCreateBody('reset-1'))).status,
      ).toBe(200);
      for (const sim of [plu, p100, plaid]) sim.injectFault({ fault: { type: 'status', status: 503 } });
      plu.reset();
      p100.reset();
      const overHttp = await fetch(`${plaid.baseUrl}/__control/reset`, { method: 'POST' });
      expect(overHttp.status).toBe(200);
      for (const sim of [plu, p100, plaid]) {
        expect([sim.users(), sim.requests, sim.webhookDeliveries]).toEqual([[], [], []]);
      }
      // The same email and ids are free again, and no fault is left.
      await pluCreatedUser(plu.baseUrl, 'reset@example.com');
      expect(
        (await p100Call(p100.baseUrl, 'POST', '/v1/user/balances/crypto-and-fiat', p100UserBody('reset-1')))
          .status,
      ).toBe(201);
      expect(plaid.attempts('reset-1')).toEqual([]);
      expect(plu.adapterSettings.apiKey).toBe('sk_staging_kycport_simulator');
    } finally {
      await Promise.all([plu.close(), p100.close(), plaid.close()]);
    }
  });
});
