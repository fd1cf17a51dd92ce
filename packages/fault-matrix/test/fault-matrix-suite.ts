/**
 * The fault matrix of one provider as jest tests: one test per cell (operation x fault), run in
 * order against one simulator (reset before each cell). Each provider has its own test file so
 * the three run in parallel.
 */
import { EXPECTED_CELLS, reportOf } from './expected-cells';
import { FAULTS } from './matrix-model';
import type { ProviderName } from './matrix-model';
import { runCell, startRig } from './matrix-harness';
import type { ProviderRig } from './matrix-harness';

export function describeFaultMatrix(provider: ProviderName): void {
  describe(`fault matrix: ${provider}`, () => {
    let rig: ProviderRig;
    beforeAll(async () => {
      rig = await startRig(provider);
    });
    afterAll(() => rig.close());

    const cells = EXPECTED_CELLS.filter((cell) => cell.provider === provider);
    it.each(cells.map((cell) => [`${cell.operation} x ${FAULTS[cell.fault].label}`, cell] as const))(
      '%s',
      async (_label, cell) => {
        const run = await runCell(rig, cell.operation, cell.fault);
        // The first call's error message, so a failing cell shows what the adapter said.
        const said = { ...run.report, message: run.error?.message };
        expect(said).toEqual({ ...reportOf(cell), message: run.error?.message });
        // Every request the simulator saw was one the adapter reported to its observer, and no other.
        expect(run.observedCalls).toBe(run.report.requests);
      },
    );
  });
}
