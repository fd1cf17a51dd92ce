/** Wall time and RSS of a fresh process that loads a set of modules (median of several runs). */
import { execFileSync } from 'node:child_process';

export interface ImportCost {
  readonly label: string;
  readonly wallMs: number;
  readonly requireMs: number;
  readonly rssMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Runs `script` in `runs` fresh processes; it prints `{ requireMs, rss }`. Medians are reported. */
function measureScript(label: string, script: string, cwd: string, runs: number): ImportCost {
  const walls: number[] = [];
  const requires: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const output = execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
    walls.push(performance.now() - started);
    const parsed = JSON.parse(output) as { requireMs: number; rss: number };
    requires.push(parsed.requireMs);
    rss.push(parsed.rss / 2 ** 20);
  }
  return { label, wallMs: median(walls), requireMs: median(requires), rssMb: median(rss) };
}

export function measureImport(
  label: string,
  modules: ReadonlyArray<string>,
  cwd: string,
  runs = 7,
): ImportCost {
  const script = `const t0 = performance.now(); ${modules.map((name) => `require(${JSON.stringify(name)});`).join(' ')} const t1 = performance.now(); process.stdout.write(JSON.stringify({ requireMs: t1 - t0, rss: process.memoryUsage().rss }));`;
  return measureScript(label, script, cwd, runs);
}

/**
 * Cold start to a first answer: a fresh process that loads the client, creates it and completes one
 * call against the example server. kycport loads axios on the first request, so this is where
 * its share of axios's load time shows.
 */
export function measureColdStart(label: string, script: string, cwd: string, runs = 7): ImportCost {
  return measureScript(label, script, cwd, runs);
}

/** Scripts for `measureColdStart`: `requireMs` there is the time to the first answer. */
export function coldStartScripts(baseUrl: string): Record<string, string> {
  const finish = `.then(() => { process.stdout.write(JSON.stringify({ requireMs: performance.now() - t0, rss: process.memoryUsage().rss })); process.exit(0); })`;
  return {
    'plaid (official SDK): retry': `const t0 = performance.now(); const { Configuration, PlaidApi } = require('plaid'); new PlaidApi(new Configuration({ basePath: ${JSON.stringify(baseUrl)}, baseOptions: { headers: { 'PLAID-CLIENT-ID': 'c', 'PLAID-SECRET': 's' } } })).identityVerificationRetry({ client_user_id: 'your-db-id-3b24110', template_id: 'idvtmp_4FrXJvfQU3zGUR', strategy: 'reset' })${finish}`,
    '@kycport/plaid: retry': `const t0 = performance.now(); const { userRef } = require('@kycport/core'); const { createPlaidProvider } = require('@kycport/plaid'); createPlaidProvider({ clientId: 'c', secret: 's', baseUrl: ${JSON.stringify(baseUrl)}, templateId: 'idvtmp_4FrXJvfQU3zGUR' }).retry(userRef('your-db-id-3b24110'), { strategy: { kind: 'restart' }, providerOptions: { plaid: { checkStateFirst: false } } })().then((r) => { if (r._tag !== 'Right') throw new Error('failed'); })${finish}`,
  };
}
