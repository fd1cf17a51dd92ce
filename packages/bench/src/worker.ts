/**
 * One client per process, so its RSS is its own: runs the load scenarios and prints one JSON line.
 * Usage: node worker.js <client> <baseUrl> <callsPerRun>
 */
import { STOCK_ADAPTER_CLIENT, adapterCalls, adapterUnderTest } from './adapter-clients';
import type { AdapterId } from './adapter-clients';
import { axiosDefaults, axiosTuned, nodeHttpFloor, plaidNode } from './baseline-clients';
import type { Call } from './baseline-clients';
import { LEAN_BARE_CLIENTS, leanBareCalls } from './lean-baseline';
import { runLoad } from './load';
import type { LoadResult } from './load';

export interface WorkerResult {
  readonly client: string;
  readonly runs: ReadonlyArray<{ readonly operation: string } & LoadResult>;
  readonly rssMb: number;
  /** RSS growth of a long getStatus/retry run: after warm-up, at 10k and at the end. */
  readonly soak?: { readonly calls: number; readonly rssAt10kMb: number; readonly rssAtEndMb: number };
}

const CONCURRENCY = [1, 16, 64];

function baselineCalls(client: string, baseUrl: string): { calls: Record<string, Call>; close(): void } {
  const wire = LEAN_BARE_CLIENTS[client as keyof typeof LEAN_BARE_CLIENTS];
  if (wire) return leanBareCalls(wire, baseUrl);
  const factories = {
    'node:http': nodeHttpFloor,
    'axios (tuned)': axiosTuned,
    'axios (defaults)': axiosDefaults,
    'plaid-node': plaidNode,
  };
  const factory = factories[client as keyof typeof factories];
  const made = factory(baseUrl);
  return { calls: { 'retry (plaid wire)': made.call }, close: made.close };
}

async function main(): Promise<void> {
  const [client = '', baseUrl = '', callsText = '20000', soakText = '0'] = process.argv.slice(2);
  const callsPerRun = Number(callsText);
  const soakCalls = Number(soakText);
  const stock = client === STOCK_ADAPTER_CLIENT;
  const adapter = stock
    ? 'plaid'
    : client.startsWith('kycport/')
      ? (client.slice('kycport/'.length) as AdapterId)
      : undefined;
  const subject = adapter ? adapterUnderTest(adapter, baseUrl, stock ? 'axios' : 'lean') : undefined;
  const { calls, close } = subject
    ? { calls: adapterCalls(subject), close: () => subject.provider.close() }
    : baselineCalls(client, baseUrl);

  const runs: Array<{ operation: string } & LoadResult> = [];
  for (const [operation, call] of Object.entries(calls)) {
    await runLoad(call, Math.min(2000, callsPerRun), 16); // warm-up: JIT, sockets
    for (const concurrency of CONCURRENCY) {
      const total = concurrency === 1 ? Math.max(200, Math.floor(callsPerRun / 10)) : callsPerRun;
      runs.push({ operation, ...(await runLoad(call, total, concurrency)) });
    }
  }
  const rssMb = process.memoryUsage().rss / 2 ** 20;

  let soak: WorkerResult['soak'];
  if (soakCalls > 0) {
    const call = Object.values(calls)[0] as Call;
    await runLoad(call, 10_000, 64);
    global.gc?.();
    const rssAt10kMb = process.memoryUsage().rss / 2 ** 20;
    await runLoad(call, soakCalls - 10_000, 64);
    global.gc?.();
    soak = { calls: soakCalls, rssAt10kMb, rssAtEndMb: process.memoryUsage().rss / 2 ** 20 };
  }
  close();
  const result: WorkerResult = { client, runs, rssMb, soak };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
