/**
 * `pnpm bench`: every client side by side in one run, a table on stdout, and docs/performance.md
 * rewritten with the figures, the ratios and how to reproduce them.
 *
 * BENCH_CALLS (default 10000) calls per run at concurrency 16 and 64 (a tenth at concurrency 1);
 * BENCH_ROUNDS (default 3) interleaved rounds per client, medians reported (rounds.ts);
 * BENCH_SOAK_CALLS (default 100000) calls for the RSS soak; BENCH_WEBHOOK_EVENTS (default 20000);
 * BENCH_TRACKER_EVENTS (default 20000) tracker ingest events per store, BENCH_PLU_USERS (default
 * 20000) users on the Plu simulator; KYCPORT_BENCH_DATABASE_URL adds a local PostgreSQL server.
 * BENCH_ONLY=bundle measures only the bundle sizes (bundle-size.ts) and rewrites only that section
 * of docs/performance.md.
 */
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchColdStart, coldStartTargets, measureImport, renderColdStart } from './import-cost';
import type { ColdStartBench, ImportCost } from './import-cost';
import { benchWebhooks, plaidSigningKey } from './webhook-bench';
import type { WebhookResult } from './webhook-bench';
import { STOCK_ADAPTER_CLIENT } from './adapter-clients';
import { LEAN_BARE_CLIENTS } from './lean-baseline';
import type { WorkerResult } from './worker';
import { interleavedRounds } from './rounds';
import { overheadSection, ratioSection, throughputSection, throughputTargets } from './throughput-report';
import { ANALYSIS } from './analysis';
import { benchRouterDispatch } from './router-dispatch';
import type { DispatchResult } from './router-dispatch';
import { benchTracker, renderTracker, trackerTargets } from './tracker-bench';
import type { TrackerBenchResult } from './tracker-bench';
import { benchBundles } from './bundle-size';
import type { BundleBench } from './bundle-size';
import { bundleTargets, renderBundles, replaceBundleSection } from './bundle-report';

const PERFORMANCE_PAGE = join(__dirname, '..', '..', '..', 'docs', 'performance.md');

const BASELINES = [
  'node:http',
  'axios (tuned)',
  'axios (defaults)',
  'plaid-node',
  ...Object.keys(LEAN_BARE_CLIENTS),
] as const;
const ADAPTERS = ['kycport/plaid', 'kycport/plu', 'kycport/p100', STOCK_ADAPTER_CLIENT] as const;

/** Issue 17's webhook targets: Plaid's JWT (warm key cache, no follow-up read) 10k/s, HMAC and token 40k/s. */
function webhookGoal(label: string): number | undefined {
  if (label.includes('/identity_verification/get')) return undefined;
  return label.startsWith('plaid') ? 10_000 : 40_000;
}

function runWorker(client: string, baseUrl: string, calls: number, soak: number): WorkerResult {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', join(__dirname, 'worker.js'), client, baseUrl, String(calls), String(soak)],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

const fixed = (value: number, digits = 0): string => value.toFixed(digits);

interface Report {
  readonly results: ReadonlyArray<WorkerResult>;
  readonly imports: ReadonlyArray<ImportCost>;
  readonly coldStart: ColdStartBench;
  readonly webhooks: ReadonlyArray<WebhookResult>;
  readonly dispatch: ReadonlyArray<DispatchResult>;
  readonly tracker: TrackerBenchResult;
  readonly bundles: BundleBench;
  readonly calls: number;
}

function importSection(imports: ReadonlyArray<ImportCost>): string[] {
  const lines: string[] = [];
  lines.push('## Import cost (fresh process, median of 7)', '');
  lines.push('| modules | process wall ms | require ms | RSS MB |', '|---|---|---|---|');
  for (const cost of imports)
    lines.push(
      `| ${cost.label} | ${fixed(cost.wallMs)} | ${fixed(cost.requireMs, 1)} | ${fixed(cost.rssMb)} |`,
    );
  const plaidImport = imports.find((cost) => cost.label === 'plaid (official SDK)');
  if (plaidImport) {
    lines.push(
      '',
      '| modules | wall vs plaid-node | require vs plaid-node | RSS vs plaid-node |',
      '|---|---|---|---|',
    );
    for (const cost of imports.filter((entry) => entry.label.startsWith('@kycport'))) {
      lines.push(
        `| ${cost.label} | ${fixed(cost.wallMs / plaidImport.wallMs, 2)}x | ${fixed(cost.requireMs / plaidImport.requireMs, 2)}x | ${fixed(cost.rssMb / plaidImport.rssMb, 2)}x |`,
      );
    }
  }
  return lines;
}

function render(report: Report): string {
  const { results, imports, webhooks } = report;
  const lines: string[] = [
    ...throughputSection(results),
    ...ratioSection(results),
    ...overheadSection(results),
    '',
    ...importSection(imports),
    '',
    ...renderColdStart(report.coldStart),
  ];
  lines.push('', '## Webhook verification + parsing', '');
  lines.push('| provider | events/s |', '|---|---|');
  for (const webhook of webhooks) lines.push(`| ${webhook.label} | ${fixed(webhook.eventsPerSecond)} |`);
  lines.push('', '## RSS over a long run (getStatus, TaskEither, concurrency 64, after a 10k warm-up)', '');
  lines.push('| client | calls | RSS at 10k MB | RSS at end MB | growth |', '|---|---|---|---|---|');
  for (const result of results) {
    if (!result.soak) continue;
    const growth = (result.soak.rssAtEndMb / result.soak.rssAt10kMb - 1) * 100;
    lines.push(
      `| ${result.client} | ${result.soak.calls} | ${fixed(result.soak.rssAt10kMb, 1)} | ${fixed(result.soak.rssAtEndMb, 1)} | ${fixed(growth, 1)}% |`,
    );
  }
  lines.push(
    '',
    '## Router dispatch (no I/O: the same in-memory provider, direct and through createKycRouter)',
    '',
  );
  lines.push('| operation | direct ns/call | routed ns/call | router adds µs/call |', '|---|---|---|---|');
  for (const entry of report.dispatch) {
    lines.push(
      `| ${entry.operation} | ${fixed(entry.directNs)} | ${fixed(entry.routedNs)} | ${fixed(entry.overheadUs, 2)} |`,
    );
  }
  lines.push('', ...renderTracker(report.tracker));
  lines.push('', ...renderBundles(report.bundles));
  lines.push('', targets(report));
  return lines.join('\n');
}

/** The issues' targets, checked against this run's figures. */
function targets(report: Report): string {
  const rows: string[] = [
    '## Targets (measured here, never asserted in tests)',
    '',
    '| target | client | measured | met |',
    '|---|---|---|---|',
  ];
  const row = (target: string, client: string, measured: string, met: boolean): void => {
    rows.push(`| ${target} | ${client} | ${measured} | ${met ? 'yes' : '**no**'} |`);
  };
  for (const [target, client, measured, met] of throughputTargets(report.results))
    row(target, client, measured, met);
  for (const [target, client, measured, met] of coldStartTargets(report.coldStart))
    row(target, client, measured, met);
  const plaidImport = report.imports.find((cost) => cost.label === 'plaid (official SDK)');
  for (const cost of report.imports.filter((entry) => entry.label.startsWith('@kycport'))) {
    if (!plaidImport) break;
    const wall = cost.wallMs / plaidImport.wallMs;
    const rss = cost.rssMb / plaidImport.rssMb;
    row(
      'import <= 0.5x plaid-node time and RSS',
      cost.label,
      `${fixed(wall, 2)}x time, ${fixed(rss, 2)}x RSS`,
      wall <= 0.5 && rss <= 0.5,
    );
  }
  for (const webhook of report.webhooks) {
    const goal = webhookGoal(webhook.label);
    if (goal === undefined) continue;
    row(
      `webhooks >= ${goal / 1000}k events/s`,
      webhook.label,
      fixed(webhook.eventsPerSecond),
      webhook.eventsPerSecond >= goal,
    );
  }
  for (const entry of report.dispatch) {
    row(
      'router dispatch < 5 µs per call',
      entry.operation,
      `${fixed(entry.overheadUs, 2)} µs`,
      entry.overheadUs < 5,
    );
  }
  for (const [target, client, measured, met] of trackerTargets(report.tracker)) {
    if (met === undefined) rows.push(`| ${target} | ${client} | ${measured} | n/a |`);
    else row(target, client, measured, met);
  }
  for (const [target, client, measured, met] of bundleTargets(report.bundles))
    row(target, client, measured, met);
  return rows.join('\n');
}

/** `BENCH_ONLY=bundle`: the bundle section alone, written into the page in place of the old one. */
async function bundleOnly(): Promise<void> {
  const section = renderBundles(await benchBundles()).join('\n');
  process.stdout.write(`${section}\n`);
  writeFileSync(
    PERFORMANCE_PAGE,
    replaceBundleSection(readFileSync(PERFORMANCE_PAGE, 'utf8'), section),
    'utf8',
  );
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'bundle') return bundleOnly();
  if (process.env.BENCH_ONLY !== undefined) throw new Error('BENCH_ONLY takes one value: bundle');
  const calls = Number(process.env.BENCH_CALLS ?? 10_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const soak = Number(process.env.BENCH_SOAK_CALLS ?? 100_000);
  const webhookEvents = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20_000);
  const signing = await plaidSigningKey();
  const server = fork(join(__dirname, 'example-server.js'), [], {
    env: { ...process.env, BENCH_PLAID_JWK: JSON.stringify(signing.publicJwk) },
  });
  const [message] = (await once(server, 'message')) as [{ port: number }];
  const baseUrl = `http://127.0.0.1:${message.port}`;
  try {
    const results: WorkerResult[] = [];
    results.push(
      ...interleavedRounds([...BASELINES, ...ADAPTERS], rounds, (client, round) => {
        process.stderr.write(`bench: ${client} (round ${round + 1} of ${rounds})\n`);
        // The RSS soak runs once, in the first round.
        const soaks = round === 0 && client.startsWith('kycport/') && client !== STOCK_ADAPTER_CLIENT;
        return runWorker(client, baseUrl, calls, soaks ? soak : 0);
      }),
    );
    process.stderr.write('bench: import cost\n');
    const benchDir = join(__dirname, '..');
    const imports: ImportCost[] = [
      measureImport('bare node', [], benchDir),
      measureImport('plaid (official SDK)', ['plaid'], benchDir),
      measureImport('@kycport/core + @kycport/plaid', ['@kycport/core', '@kycport/plaid'], benchDir),
      measureImport('@kycport/core + @kycport/plu', ['@kycport/core', '@kycport/plu'], benchDir),
      measureImport('@kycport/core + @kycport/p100', ['@kycport/core', '@kycport/p100'], benchDir),
    ];
    process.stderr.write('bench: cold start\n');
    const coldStart = benchColdStart(baseUrl, benchDir);
    process.stderr.write('bench: webhooks\n');
    const webhooks = await benchWebhooks(baseUrl, webhookEvents, signing);
    process.stderr.write('bench: router dispatch\n');
    const dispatch = await benchRouterDispatch();
    const tracker = await benchTracker();
    const bundles = await benchBundles();
    const body = render({ results, imports, coldStart, webhooks, dispatch, tracker, bundles, calls });
    process.stdout.write(`${body}\n`);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const header = [
      '# Performance',
      '',
      `Measured by \`pnpm bench\` (packages/bench) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}), ${fixed(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
      `Every client runs in its own process against one loopback server (a separate process) answering the providers' documented example responses; ${calls} calls per run at concurrency 16 and 64, ${Math.max(200, Math.floor(calls / 10))} at concurrency 1, after a warm-up. Every client ran ${rounds} times, the clients interleaved; each figure is the median of its rounds (RSS too; the soak ran in the first round).`,
      'Benchmarks never run in the test command; timings vary with the machine, so compare rows of one run, not runs.',
      '',
      'Reproduce: `pnpm install && pnpm bench` (BENCH_CALLS, BENCH_ROUNDS, BENCH_SOAK_CALLS, BENCH_WEBHOOK_EVENTS, BENCH_TRACKER_EVENTS and BENCH_PLU_USERS scale it down or up; KYCPORT_BENCH_DATABASE_URL=postgres://... adds the PostgreSQL server rows; BENCH_ONLY=bundle measures and rewrites only the bundle section).',
      '',
    ].join('\n');
    writeFileSync(PERFORMANCE_PAGE, `${header}\n${body}\n\n${ANALYSIS}`, 'utf8');
  } finally {
    server.disconnect();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
