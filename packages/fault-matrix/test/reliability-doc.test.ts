/**
 * docs/reliability.md prints the fault matrix: its tables must be exactly the expected cells the
 * matrix tests run, so the doc cannot drift. On a mismatch, the message holds the section to paste
 * (then run prettier on the doc).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPECTED_CELLS } from './expected-cells';
import { CALL_TIMEOUT_MS } from './matrix-model';
import { parseMatrix, renderMatrix, rowOf } from './matrix-table';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'reliability.md');

describe('docs/reliability.md', () => {
  it('prints the fault matrix exactly as the matrix tests expect it', () => {
    const printed = parseMatrix(readFileSync(DOC, 'utf8'));
    const expected = EXPECTED_CELLS.map(rowOf);
    if (JSON.stringify(printed) !== JSON.stringify(expected)) {
      throw new Error(
        `the fault matrix in docs/reliability.md is out of date; replace its section with:\n\n${renderMatrix(EXPECTED_CELLS)}\n`,
      );
    }
    expect(printed).toHaveLength(120);
  });

  it('states the per-call timeout the matrix uses', () => {
    expect(readFileSync(DOC, 'utf8')).toContain(`every call passes \`timeoutMs: ${CALL_TIMEOUT_MS}\``);
  });

  it('reads a table back (the check can fail)', () => {
    const section = renderMatrix(EXPECTED_CELLS.slice(0, 2));
    expect(parseMatrix(section)).toEqual(EXPECTED_CELLS.slice(0, 2).map(rowOf));
    const drifted = section.replace('| 3 |', '| 4 |');
    expect(parseMatrix(drifted)).not.toEqual(EXPECTED_CELLS.slice(0, 2).map(rowOf));
  });
});
