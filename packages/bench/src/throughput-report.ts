/**
 * The throughput part of docs/performance.md: every load run, the ratios on the Plaid wire against
 * plaid-node, the node:http floor and the axios setups, kycport's own overhead on each provider's
 * wire against a bare call through the same lean axios setup, and the issue targets they meet.
 */
import type { WorkerResult } from './worker';

const fixed = (value: number, digits = 0): string => value.toFixed(digits);

type Row = [target: string, client: string, measured: string, met: boolean];

/**
 * RSS above the node:http floor after the load runs, MB, in the last run before issue 17 (kycport on
 * axios's stock adapter, docs/performance.md of 2026-11-30): what "no regression" is measured against.
 */
const PREVIOUS_MB_ABOVE_FLOOR: Readonly<Record<string, number>> = {
  'kycport/plaid': 44,
  'kycport/plu': 17,
  'kycport/p100': 16,
};

function runAt(result: WorkerResult | undefined, operation: string, concurrency: number) {
  return result?.runs.find((run) => run.operation === operation && run.concurrency === concurrency);
}

/** calls/s of one client's operation at one concurrency, NaN when it was not run. */
function callsPerSecond(
  byClient: ReadonlyMap<string, WorkerResult>,
  client: string,
  operation: string,
  concurrency = 64,
): number {
  return runAt(byClient.get(client), operation, concurrency)?.callsPerSecond ?? NaN;
}

/** The Plaid wire call each client row compares: `retry (plaid wire)` for bare clients, else the port's `retry (TaskEither)`. */
function plaidWireRetry(result: WorkerResult): number {
  return (
    (runAt(result, 'retry (plaid wire)', 64) ?? runAt(result, 'retry (TaskEither)', 64))?.callsPerSecond ??
    NaN
  );
}

/** Every load run as a row. */
export function throughputSection(results: ReadonlyArray<WorkerResult>): string[] {
  const lines = [
    '## Throughput and latency',
    '',
    '| client | operation | c | calls/s | p50 ms | p99 ms | failures |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const run of result.runs) {
      lines.push(
        `| ${result.client} | ${run.operation} | ${run.concurrency} | ${fixed(run.callsPerSecond)} | ${fixed(run.p50Ms, 2)} | ${fixed(run.p99Ms, 2)} | ${run.failures} |`,
      );
    }
  }
  return lines;
}

/** Ratios at concurrency 64 on the Plaid wire (one `/identity_verification/retry` per call), with RSS. */
export function ratioSection(results: ReadonlyArray<WorkerResult>): string[] {
  const byClient = new Map(results.map((result) => [result.client, result]));
  const reference = (client: string): number =>
    plaidWireRetry(byClient.get(client) ?? { client, runs: [], rssMb: NaN });
  const plaidNode = reference('plaid-node');
  const floor = reference('node:http');
  const tuned = reference('axios (tuned)');
  const lean = reference('axios (lean adapter)');
  const floorRss = byClient.get('node:http')?.rssMb ?? NaN;
  const plaidRss = byClient.get('plaid-node')?.rssMb ?? NaN;
  const lines = [
    '',
    '## Ratios at concurrency 64 (retry, the same Plaid wire call for every Plaid client)',
    '',
    'kycport rows call through the port (`retry`, TaskEither). "above floor" is the client\'s RSS minus the node:http floor\'s after the same load: the memory the client itself adds.',
    '',
    '| client | calls/s | vs plaid-node | vs node:http floor | vs tuned axios | vs lean axios | RSS MB | RSS vs plaid-node | above floor vs plaid-node |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    const calls = plaidWireRetry(result);
    if (Number.isNaN(calls)) continue;
    const aboveFloor = Math.max(0, result.rssMb - floorRss) / (plaidRss - floorRss);
    lines.push(
      `| ${result.client} | ${fixed(calls)} | ${fixed(calls / plaidNode, 2)}x | ${fixed(calls / floor, 2)}x | ${fixed(calls / tuned, 2)}x | ${fixed(calls / lean, 2)}x | ${fixed(result.rssMb)} | ${fixed(result.rssMb / plaidRss, 2)}x | ${fixed(aboveFloor, 2)}x |`,
    );
  }
  lines.push(
    '',
    "Plu and P100 rows call their own providers' wire formats, so their ratios here compare library overhead on a different request, not the same call: the next table compares each with its own wire.",
  );
  return lines;
}

/** Each adapter operation against the bare lean-axios client sending the same requests on its wire. */
const OVERHEAD_PAIRS: ReadonlyArray<{ client: string; bare: string; wire: string }> = [
  { client: 'kycport/plaid', bare: 'axios (lean adapter)', wire: 'plaid' },
  { client: 'kycport/plu', bare: 'axios (lean adapter), plu wire', wire: 'plu' },
  { client: 'kycport/p100', bare: 'axios (lean adapter), p100 wire', wire: 'p100' },
];

function overheadRows(byClient: ReadonlyMap<string, WorkerResult>) {
  return OVERHEAD_PAIRS.flatMap(({ client, bare, wire }) =>
    ['getStatus', 'retry'].flatMap((operation) =>
      ['TaskEither', 'Promise'].map((style) => {
        const own = callsPerSecond(byClient, client, `${operation} (${style})`);
        const reference = callsPerSecond(byClient, bare, `${operation} (${wire} wire)`);
        return { client, operation, style, own, reference, ratio: own / reference };
      }),
    ),
  );
}

/** kycport's own overhead: each adapter operation over the bare lean-axios call on the same wire, at c=64. */
export function overheadSection(results: ReadonlyArray<WorkerResult>): string[] {
  const byClient = new Map(results.map((result) => [result.client, result]));
  const lines = [
    '',
    "## kycport's own overhead on each wire (concurrency 64)",
    '',
    "The reference is a bare call through the same lean axios setup (packages/bench/src/lean-baseline.ts: axios on kycport's lean adapter with keep-alive, the exact requests the adapter operation sends, `JSON.parse` of each answer, nothing else). The ratio is what is left after kycport validates the input, decodes and maps the answer, and runs its retry loop and port; 1.00x would be no overhead. P100's retry is two requests (the status, then `/v1/kyc`), and so is its bare reference.",
    '',
    '| adapter | operation | port | kycport calls/s | bare lean axios calls/s | ratio |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of overheadRows(byClient)) {
    if (Number.isNaN(row.own) || Number.isNaN(row.reference)) continue;
    lines.push(
      `| ${row.client} | ${row.operation} | ${row.style} | ${fixed(row.own)} | ${fixed(row.reference)} | ${fixed(row.ratio, 2)}x |`,
    );
  }
  return lines;
}

/** The throughput and memory targets, old (issue 8) and new (issue 17), against this run. */
export function throughputTargets(results: ReadonlyArray<WorkerResult>): Row[] {
  const byClient = new Map(results.map((result) => [result.client, result]));
  const rows: Row[] = [];
  const reference = (client: string): number => {
    const result = byClient.get(client);
    return result ? plaidWireRetry(result) : NaN;
  };
  const plaidNode = reference('plaid-node');
  const floor = reference('node:http');
  const tuned = reference('axios (tuned)');
  const floorRss = byClient.get('node:http')?.rssMb ?? NaN;
  const plaidRss = byClient.get('plaid-node')?.rssMb ?? NaN;
  const plaid = reference('kycport/plaid');
  rows.push([
    '>= 1.8x plaid-node calls/s (retry, c=64, port)',
    'kycport/plaid',
    `${fixed(plaid / plaidNode, 2)}x`,
    plaid / plaidNode >= 1.8,
  ]);
  rows.push([
    '>= 0.45x the node:http floor (retry, c=64, port)',
    'kycport/plaid',
    `${fixed(plaid / floor, 2)}x`,
    plaid / floor >= 0.45,
  ]);
  for (const row of overheadRows(byClient)) {
    if (row.client === 'kycport/plaid' || row.style !== 'TaskEither') continue;
    rows.push([
      `>= 0.9x a bare lean axios call (${row.operation}, c=64, port)`,
      row.client,
      `${fixed(row.ratio, 2)}x`,
      row.ratio >= 0.9,
    ]);
  }
  for (const client of ['kycport/plaid', 'kycport/plu', 'kycport/p100']) {
    const calls = reference(client);
    rows.push([
      '>= 1.5x plaid-node calls/s (issue 8)',
      client,
      `${fixed(calls / plaidNode, 2)}x`,
      calls / plaidNode >= 1.5,
    ]);
    rows.push([
      'within 10% of tuned axios (issue 8)',
      client,
      `${fixed(calls / tuned, 2)}x`,
      calls / tuned >= 0.9,
    ]);
    const rss = byClient.get(client)?.rssMb ?? NaN;
    const above = Math.max(0, rss - floorRss) / (plaidRss - floorRss);
    rows.push([
      '<= 0.6x plaid-node RSS (above the floor)',
      client,
      `${fixed(rss / plaidRss, 2)}x (${fixed(above, 2)}x)`,
      above <= 0.6,
    ]);
  }
  for (const [client, previousMb] of Object.entries(PREVIOUS_MB_ABOVE_FLOOR)) {
    const above = (byClient.get(client)?.rssMb ?? NaN) - floorRss;
    rows.push([
      'RSS above the floor: no regression (previous run, stock adapter, within 10%)',
      client,
      `${fixed(above)} MB (was ${previousMb})`,
      above <= previousMb * 1.1,
    ]);
  }
  for (const result of results) {
    if (!result.soak) continue;
    const growth = (result.soak.rssAtEndMb / result.soak.rssAt10kMb - 1) * 100;
    rows.push(['RSS growth < 5% from 10k to 100k calls', result.client, `${fixed(growth, 1)}%`, growth < 5]);
  }
  return rows;
}
