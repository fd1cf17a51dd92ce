/**
 * docs/providers/plu.md against @kycport/plu (issue 12): the first "Status mapping" table against
 * `pluKycState` (each row mapped with the details its "With" column names; every known status has a
 * row), and the first "Error mapping" table against `PLU_ERROR_CODES` (the same codes, kinds and
 * retryable). A row changed in either place fails here.
 */
import { isRetryableKind } from '@kycport/core';
import type { PluStatusDetails } from '@kycport/plu';
import { PLU_ERROR_CODES, PLU_KNOWN_STATUSES, pluKycState } from '@kycport/plu';
import { cell, readDoc, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

const page = readDoc('providers/plu.md');

/** The backticked names of a raw cell, in order. */
function backticked(raw: string | undefined): string[] {
  return [...(raw ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

function first(row: TableRow, column: string): string {
  const names = backticked(row[column]);
  if (names.length === 0) throw new Error(`no backticked value in "${row[column]}" (${column})`);
  return names[0] ?? '';
}

function table(heading: string): ReadonlyArray<TableRow> {
  const tables = sectionTables(page, heading);
  const found = tables[0];
  if (found === undefined) throw new Error(`no table under "${heading}"`);
  return found;
}

/** The details a "With" cell names: a known retry count of 3, an accepted verification link, or none. */
function detailsOf(row: TableRow): PluStatusDetails {
  const text = row['With'] ?? '';
  if (/`retryCount: 3`/.test(text)) return { retryCount: 3 };
  if (/^`verificationLink`/.test(text))
    return { verificationLink: 'https://kyc.getplu.com/verify?userId=e55' };
  return {};
}

describe('docs/providers/plu.md "Status mapping" = pluKycState', () => {
  const rows = table('Status mapping');

  it.each(
    rows.map(
      (row, index) => [`${index + 1}: ${cell(row, 'Plu value')} (${cell(row, 'With')})`, row] as const,
    ),
  )('row %s', (_name, row) => {
    const label = row['Plu value'] ?? '';
    const value = label.startsWith('anything else') ? 'a_status_plu_adds_later' : first(row, 'Plu value');
    const state = pluKycState(value, detailsOf(row));
    expect([value, state.status]).toEqual([value, first(row, '`status`')]);
    expect([value, state.nextAction.type]).toEqual([value, first(row, '`nextAction`')]);
  });

  it('has a row for every known status, and for anything else', () => {
    const documented = rows.map((row) => backticked(row['Plu value'])[0]);
    for (const status of PLU_KNOWN_STATUSES)
      expect([status, documented.includes(status)]).toEqual([status, true]);
    expect(rows.some((row) => (row['Plu value'] ?? '').startsWith('anything else'))).toBe(true);
  });

  it('shows denied both with retries left and with none left', () => {
    const denied = rows.filter((row) => backticked(row['Plu value'])[0] === 'denied');
    expect(denied.map((row) => first(row, '`nextAction`')).sort()).toEqual(['contact_support', 'none']);
  });
});

describe('docs/providers/plu.md "Error mapping" = PLU_ERROR_CODES', () => {
  const rows = table('Error mapping');
  const documented = new Map(rows.map((row) => [first(row, 'Code'), row] as const));

  it('lists the same codes', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(PLU_ERROR_CODES).sort());
  });

  it.each(Object.entries(PLU_ERROR_CODES))('%s: the same kind and retryable', (code, rule) => {
    const row = documented.get(code);
    if (row === undefined) throw new Error(`${code} has no row`);
    expect([code, first(row, 'Kind')]).toEqual([code, rule.kind]);
    const retryable = rule.retryable ?? isRetryableKind(rule.kind);
    expect([code, cell(row, 'Retryable')]).toEqual([code, retryable ? 'yes' : 'no']);
  });
});
