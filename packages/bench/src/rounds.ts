/**
 * Rounds: every client's worker runs `rounds` times, the clients interleaved (round 1 of every
 * client, then round 2, ...), and each figure is the median of its rounds. On this 2-core machine a
 * single pass moved a client by up to 1.7x between runs (whatever else ran during its turn), so a
 * ratio between two rows measured minutes apart said more about the machine than the clients.
 */
import type { WorkerResult } from './worker';

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** One client's rounds as one result: per operation and concurrency, the run with the median calls/s. */
export function medianOfRounds(rounds: ReadonlyArray<WorkerResult>): WorkerResult {
  const [first] = rounds;
  if (first === undefined) throw new Error('no rounds');
  const runs = first.runs.map((run) => {
    const same = rounds
      .map((round) =>
        round.runs.find(
          (other) => other.operation === run.operation && other.concurrency === run.concurrency,
        ),
      )
      .filter((other): other is NonNullable<typeof other> => other !== undefined)
      .sort((a, b) => a.callsPerSecond - b.callsPerSecond);
    return same[Math.floor(same.length / 2)] ?? run;
  });
  return {
    client: first.client,
    runs,
    rssMb: median(rounds.map((round) => round.rssMb)),
    soak: rounds.find((round) => round.soak !== undefined)?.soak,
  };
}

/**
 * Runs `run(client, round)` for every client, `rounds` times interleaved, and returns each
 * client's median result, in the clients' order.
 */
export function interleavedRounds(
  clients: ReadonlyArray<string>,
  rounds: number,
  run: (client: string, round: number) => WorkerResult,
): WorkerResult[] {
  const byClient = new Map<string, WorkerResult[]>(clients.map((client) => [client, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const client of clients) byClient.get(client)?.push(run(client, round));
  }
  return clients.map((client) => medianOfRounds(byClient.get(client) ?? []));
}
