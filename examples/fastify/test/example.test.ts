/** Runs the Fastify example in-process: one user onboarded end to end, no personal data printed. */
import { runExample } from '../src/run-example';

it('onboards a user through the Fastify host: created, webhook accepted, approved', async () => {
  const lines: string[] = [];
  const summary = await runExample((line) => lines.push(line));
  expect(summary.final).toBe('approved');
  expect(summary.changes.at(-1)?.state.status).toBe('approved');
  expect(summary.changes.filter((change) => change.source === 'webhook').length).toBeGreaterThan(0);
  const output = lines.join('\n');
  expect(output).toMatch(/webhook from plu: accepted, answered 200/);
  expect(output).not.toMatch(/jane|doe|example\.com|\+1415|1990-05-15/i);
});
