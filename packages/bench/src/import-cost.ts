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

export function measureImport(
  label: string,
  modules: ReadonlyArray<string>,
  cwd: string,
  runs = 7,
): ImportCost {
  const script = `const t0 = performance.now(); ${modules.map((name) => `require(${JSON.stringify(name)});`).join(' ')} const t1 = performance.now(); process.stdout.write(JSON.stringify({ requireMs: t1 - t0, rss: process.memoryUsage().rss }));`;
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
