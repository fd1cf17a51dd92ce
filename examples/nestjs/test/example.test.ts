/** Runs the NestJS example: the user ends approved, the webhook went through the module's controller. */
import { runExample } from '../src/main';

it('onboards a user against the simulator through @kycport/nestjs', async () => {
  const lines: string[] = [];
  const summary = await runExample((line) => lines.push(line));
  expect(summary.final).toBe('approved');
  expect(summary.webhookAnswers.length).toBeGreaterThan(0);
  expect(summary.webhookAnswers.every((status) => status === 200)).toBe(true);
  expect(summary.changes.at(-1)).toMatch(/-> approved$/);
  expect(lines.join('\n')).not.toMatch(/jane@example\.com|Doe/);
});
