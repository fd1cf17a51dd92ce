/** Runs `total` calls with `concurrency` in flight and reports throughput and latency percentiles. */
export interface LoadResult {
  readonly calls: number;
  readonly concurrency: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] as number;
}

export async function runLoad(
  call: () => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<LoadResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const started = performance.now();
      try {
        await call();
      } catch {
        failures += 1;
      }
      latencies[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  latencies.sort();
  return {
    calls: total,
    concurrency,
    callsPerSecond: (total / elapsedMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures,
  };
}
