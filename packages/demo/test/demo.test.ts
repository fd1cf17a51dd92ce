/**
 * The README's demo, run in-process: every provider against its simulator (and the fake) walks
 * create -> denied -> retry -> approved, with webhooks delivered to and verified by the host's endpoint.
 */
import { runDemo } from '../src/run-demo';
import { runSwitchScene } from '../src/switch-scene';
import { startWebhookReceiver } from '../src/webhook-receiver';

describe('demo', () => {
  it('walks plu, p100 and plaid to approved after a denied-then-retried attempt, printing no personal data', async () => {
    const lines: string[] = [];
    const summaries = await runDemo({ env: {}, write: (line) => lines.push(line) });
    expect(summaries.map((summary) => [summary.provider, summary.finalStatus])).toEqual([
      ['plu', 'approved'],
      ['p100', 'approved'],
      ['plaid', 'approved'],
    ]);
    for (const summary of summaries) {
      expect(summary.statuses[0]).toBe('action_required');
      expect(summary.statuses).toContain('denied');
      expect(summary.statuses[summary.statuses.length - 1]).toBe('approved');
    }
    const output = lines.join('\n');
    expect(output).toMatch(/webhook .* verified/);
    expect(output).not.toMatch(/@example\.com|123 Main Street|1990-05-15|\+14155555555|123456789/);
    expect(output).not.toMatch(/rejected webhook deliveries/);
    expect(output).toMatch(/\[plaid\] a new user goes to the new default: plaid:/);
    expect(output).toMatch(/\[plu\] the user in flight finished where it started: approved/);
  });

  it('switches the default provider mid-run, the user in flight finishing on the old one', async () => {
    const receiver = await startWebhookReceiver(0);
    try {
      const summary = await runSwitchScene(receiver, () => undefined);
      expect(summary).toEqual({
        inFlight: { provider: 'plu', finalStatus: 'approved' },
        newUserProvider: 'plaid',
      });
      expect(receiver.rejected).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('runs the in-memory fake when KYC_PROVIDER=fake', async () => {
    const lines: string[] = [];
    const summaries = await runDemo({ env: { KYC_PROVIDER: 'fake' }, write: (line) => lines.push(line) });
    expect(summaries.map((summary) => summary.statuses)).toEqual([
      ['action_required', 'denied', 'action_required', 'approved'],
    ]);
  });

  it('fails clearly when a real provider is selected without its variables', async () => {
    await expect(
      runDemo({ env: { KYC_PROVIDER: 'plu', KYC_DEMO_SIMULATE: 'false' }, write: () => undefined }),
    ).rejects.toThrow(/PLU_API_KEY/);
  });
});
