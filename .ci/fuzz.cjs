// `pnpm fuzz [path…]`: every property test (files named *.property.test.ts, below the given paths
// if any) at KYCPORT_FUZZ_RUNS cases per property (default 10 000), then a report of the cases run
// and failed per target. Workers are recycled above 1 GB: nock 14's interceptor keeps about 50 KB
// per request (fixed upstream after 14.0.9), which at 10 000 cases would exhaust one process.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, existsSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const runs = process.env.KYCPORT_FUZZ_RUNS ?? '10000';
const paths = process.argv.slice(2);
const patterns = (paths.length > 0 ? paths : ['']).map((path) => `${path}.*\\.property\\.test\\.ts$`);
const report = join(mkdtempSync(join(tmpdir(), 'kycport-fuzz-')), 'report.tsv');
const jest = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest'),
    '--maxWorkers=2',
    '--workerIdleMemoryLimit=1GB',
    '--testPathPatterns',
    ...patterns,
  ],
  { stdio: 'inherit', env: { ...process.env, KYCPORT_FUZZ_RUNS: runs, KYCPORT_FUZZ_REPORT: report } },
);
const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean) : [];
let cases = 0;
let failed = 0;
process.stdout.write(`\nfuzz report (${runs} cases per property requested)\n`);
for (const line of lines) {
  const [name, numRuns, fail] = line.split('\t');
  cases += Number(numRuns);
  failed += Number(fail);
  process.stdout.write(`  ${fail === '1' ? 'FAIL' : 'ok  '} ${String(numRuns).padStart(6)}  ${name}\n`);
}
process.stdout.write(`fuzz: ${lines.length} properties, ${cases} cases, ${failed} failed\n`);
process.exit(jest.status === 0 && failed === 0 ? 0 : 1);
