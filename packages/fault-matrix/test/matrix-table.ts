/**
 * The fault matrix as docs/reliability.md prints it: one markdown table per provider between two
 * markers, rendered from the expected cells, and read back from the doc so the two are compared.
 */
import { FAULTS, PROVIDERS } from './matrix-model';
import type { Cell, ProviderName } from './matrix-model';

export const MATRIX_START =
  '<!-- fault-matrix:start (generated from packages/fault-matrix/test/expected-cells.ts) -->';
export const MATRIX_END = '<!-- fault-matrix:end -->';

const HEADER = [
  'Operation',
  'Fault',
  'Result',
  'Retryable',
  'Outcome',
  'Requests',
  'After a host repeat',
  'Users',
  'Attempts',
] as const;

/** A cell's row: its provider, then the columns of `HEADER`. */
export function rowOf(cell: Cell): ReadonlyArray<string> {
  return [
    cell.provider,
    cell.operation,
    FAULTS[cell.fault].label,
    cell.result,
    cell.retryable,
    cell.outcome,
    String(cell.requests),
    cell.repeat,
    String(cell.users),
    String(cell.attempts),
  ];
}

const line = (cells: ReadonlyArray<string>): string => `| ${cells.join(' | ')} |`;

/** The section between the markers, as the doc should hold it (before prettier aligns it). */
export function renderMatrix(cells: ReadonlyArray<Cell>): string {
  const parts: string[] = [MATRIX_START];
  for (const provider of PROVIDERS) {
    parts.push('', `### ${provider}`, '', line(HEADER), line(HEADER.map(() => '---')));
    for (const cell of cells.filter((candidate) => candidate.provider === provider))
      parts.push(line(rowOf(cell).slice(1)));
  }
  parts.push('', MATRIX_END);
  return parts.join('\n');
}

function isProvider(value: string): value is ProviderName {
  return (PROVIDERS as ReadonlyArray<string>).includes(value);
}

/** The rows of the doc's tables between the markers, each prefixed with its provider heading. */
export function parseMatrix(markdown: string): ReadonlyArray<ReadonlyArray<string>> {
  const start = markdown.indexOf(MATRIX_START);
  const end = markdown.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error('docs/reliability.md has no fault-matrix markers');
  const rows: string[][] = [];
  let provider = '';
  for (const text of markdown.slice(start + MATRIX_START.length, end).split('\n')) {
    const heading = /^###\s+(\S+)\s*$/.exec(text.trim());
    if (heading) {
      provider = heading[1] ?? '';
      if (!isProvider(provider)) throw new Error(`unknown provider heading: ${text}`);
      continue;
    }
    if (!text.trim().startsWith('|')) continue;
    const cells = text
      .trim()
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (cells[0] === HEADER[0] || cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    rows.push([provider, ...cells]);
  }
  return rows;
}
