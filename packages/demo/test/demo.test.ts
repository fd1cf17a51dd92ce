/**
 * The README's demo, run in-process: every provider against its simulator (and the fake) walks
 * create -> denied -> retry -> approved, with webhooks delivered to the host's endpoint and taken in
 * by the tracker (verified, deduped, committed to PGlite before the answer).
 */
import type { KycStore } from '@kycport/core';
import { createPostgresKycStore } from '@kycport/store-postgres';
import { createMemoryKycStore } from '@kycport/tracker';
import { openDemoDatabase } from '../src/database';
import type { DemoDatabase } from '../src/database';
import { runDemo } from '../src/run-demo';
import { runSwitchScene } from '../src/switch-scene';
import { startWebhookReceiver } from '../src/webhook-receiver';

jest.setTimeout(120_000);

describe('demo', () => {
  let database: DemoDatabase;
  let store: KycStore;
  beforeAll(async () => {
    // The demo's default: PGlite in memory (no KYC_DATABASE_URL), opened here so the test reads it after the run.
    database = await openDemoDatabase({});
    store = createPostgresKycStore({ client: database.client });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('walks plu, p100 and plaid to approved after a denied-then-retried attempt, printing no personal data', async () => {
    const lines: string[] = [];
    const summaries = await runDemo({ env: {}, write: (line) => lines.push(line), database });
    expect(summaries.map((summary) => [summary.provider, summary.finalStatus])).toEqual([
      ['plu', 'approved'],
      ['p100', 'approved'],
      ['plaid', 'approved'],
    ]);
    for (const summary of summaries) {
      expect(summary.statuses[0]).toBe('action_required');
      expect(summary.statuses).toContain('denied');
      expect(summary.statuses[summary.statuses.length - 1]).toBe('approved');
      // The tracker's store ended with the user's final state, and every change reached onStateChange.
      const tracked = await store.get(summary.userRef);
      expect(tracked?.state.status).toBe('approved');
      expect(summary.changeIds).toHaveLength(tracked?.version ?? -1);
      expect(new Set(summary.changeIds).size).toBe(summary.changeIds.length);
    }
    // A re-delivered webhook changes nothing: Plu's exact key makes it a duplicate; P100's and
    // Plaid's weak keys are never used to drop an event, so the tracker re-reads and finds it unchanged.
    const redeliveries = Object.fromEntries(
      summaries.map((summary) => [summary.provider, summary.redelivery]),
    );
    expect(redeliveries.plu).toMatchObject({ outcome: 'duplicate', httpStatus: 200 });
    for (const provider of ['p100', 'plaid'])
      expect(redeliveries[provider]).toMatchObject({
        outcome: 'accepted',
        applied: 'unchanged',
        httpStatus: 200,
      });
    const output = lines.join('\n');
    expect(output).toMatch(/^tracker store: PGlite/m);
    expect(output).toMatch(/webhook .* verified/);
    expect(output).toMatch(
      /webhook .* verified for plu:\S+ -> duplicate \(already processed\), answered 200/,
    );
    expect(output).toMatch(
      /state change [0-9a-f]{8} plaid:\S+: denied -> action_required \(v\d+, from call\)/,
    );
    expect(output).toMatch(/getStatus -> approved .*\[from the store: no provider request\]/);
    expect(output).not.toMatch(/@example\.com|123 Main Street|1990-05-15|\+14155555555|123456789|Jane|Doe/);
    expect(output).not.toMatch(/rejected webhook deliveries/);
    expect(output).toMatch(/\[plaid\] a new user goes to the new default: plaid:/);
    expect(output).toMatch(/\[plu\] the user in flight finished where it started: approved/);
  });

  it('switches the default provider mid-run, the user in flight finishing on the old one', async () => {
    const receiver = await startWebhookReceiver(0);
    const memory = createMemoryKycStore();
    try {
      const summary = await runSwitchScene(receiver, memory, () => undefined);
      expect(summary).toEqual({
        inFlight: { provider: 'plu', finalStatus: 'approved', userRef: expect.stringMatching(/^plu:/) },
        newUserProvider: 'plaid',
      });
      expect((await memory.get(summary.inFlight.userRef))?.state.status).toBe('approved');
      expect(receiver.rejected).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('runs the in-memory fake when KYC_PROVIDER=fake', async () => {
    const lines: string[] = [];
    const summaries = await runDemo({
      env: { KYC_PROVIDER: 'fake' },
      write: (line) => lines.push(line),
      database,
    });
    expect(summaries.map((summary) => summary.statuses)).toEqual([
      ['action_required', 'denied', 'action_required', 'approved'],
    ]);
    const [fake] = summaries;
    expect((await store.get(fake!.userRef))?.state.status).toBe('approved');
    expect(fake!.redelivery).toMatchObject({ outcome: 'duplicate', httpStatus: 200 });
  });

  it('fails clearly when a real provider is selected without its variables', async () => {
    await expect(
      runDemo({ env: { KYC_PROVIDER: 'plu', KYC_DEMO_SIMULATE: 'false' }, write: () => undefined, database }),
    ).rejects.toThrow(/PLU_API_KEY/);
  });
});
