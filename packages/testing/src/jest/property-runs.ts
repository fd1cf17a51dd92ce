/**
 * Jest `setupFilesAfterEnv` file for property-based tests (fast-check): every `fc.assert` runs
 * `KYCPORT_FUZZ_RUNS` cases (default 100, what the test command uses; `pnpm fuzz` sets 10 000), and,
 * when `KYCPORT_FUZZ_REPORT` names a file, each test file appends one line per property run:
 * `<test name>\t<runs>\t<failed>`, which `pnpm fuzz` sums into its report.
 * Add it to a host's jest config as `setupFilesAfterEnv: ['@kycport/testing/jest/property-runs']`.
 */
import { appendFileSync } from 'node:fs';
import * as fc from 'fast-check';

const runs = Number.parseInt(process.env.KYCPORT_FUZZ_RUNS ?? '', 10);
const report = process.env.KYCPORT_FUZZ_REPORT;

const record = (details: fc.RunDetails<unknown>): void => {
  if (report === undefined) return;
  const name = expect.getState().currentTestName ?? 'unnamed';
  appendFileSync(report, `${name}\t${details.numRuns}\t${details.failed ? 1 : 0}\n`);
};

fc.configureGlobal({
  numRuns: Number.isInteger(runs) && runs > 0 ? runs : 100,
  // Keeps fast-check's own failure message (seed, path, counterexample) and records the count;
  // fast-check uses this reporter for async properties too (it refuses both options at once).
  reporter: (details) => {
    record(details);
    if (details.failed) throw new Error(fc.defaultReportMessage(details));
  },
});
