/**
 * docs/providers/plaid.md against @kycport/plaid (issue 12): the "Status mapping" table against
 * `plaidKycState`, the "Error mapping" table against `PLAID_ERROR_CODES` / `PLAID_ERROR_TYPES`, and
 * the example messages of "Field refusals Plaid does not document" against the three mappers. A row
 * changed in either place fails here.
 */
import type { HttpErrorMapper, HttpFailure, ProviderCodeTable } from '@kycport/http';
import {
  PLAID_ERROR_CODES,
  PLAID_ERROR_TYPES,
  PLAID_IDV_STATUSES,
  PLAID_NO_SHAREABLE_URL_REASON,
  mapPlaidError,
  mapPlaidListError,
  mapPlaidRetryError,
  plaidKycState,
} from '@kycport/plaid';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

const page = readDoc('providers/plaid.md');

/** The backticked names of a raw cell, in order. */
function backticked(raw: string | undefined): string[] {
  return [...(raw ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

function first(row: TableRow, column: string): string {
  const names = backticked(row[column]);
  if (names.length === 0) throw new Error(`no backticked value in "${row[column]}" (${column})`);
  return names[0] ?? '';
}

describe('docs/providers/plaid.md "Status mapping" = plaidKycState', () => {
  const rows = sectionTable(page, 'Status mapping');
  const steps = { kyc_check: 'failed' };
  const URL = 'https://flow.plaid.com/verify/idv_x?key=k';

  it.each(rows.map((row) => [cell(row, 'Plaid `status`'), row] as const))('row %s', (_name, row) => {
    const label = row['Plaid `status`'] ?? '';
    const status = label.startsWith('any other value')
      ? 'a_status_plaid_adds_later'
      : first(row, 'Plaid `status`');
    const shareableUrl = /without `shareable_url`/.test(label) ? null : URL;
    const state = plaidKycState({ status, steps, shareable_url: shareableUrl });
    if (state._tag === 'Left') throw new Error(state.left.message);
    expect([status, state.right.status]).toEqual([status, first(row, 'kycport status')]);
    expect([status, state.right.nextAction.type]).toEqual([status, first(row, '`nextAction`')]);
    if (state.right.nextAction.type === 'redirect_unavailable')
      expect(state.right.nextAction.reason).toBe(PLAID_NO_SHAREABLE_URL_REASON);
  });

  it('lists every status of the pinned spec, and active both with and without a shareable URL', () => {
    const documented = rows.map((row) => backticked(row['Plaid `status`'])[0]);
    for (const status of PLAID_IDV_STATUSES) expect(documented).toContain(status);
    expect(rows.some((row) => (row['Plaid `status`'] ?? '').startsWith('any other value'))).toBe(true);
    const active = rows.filter((row) => backticked(row['Plaid `status`'])[0] === 'active');
    expect(active.map((row) => /without/.test(row['Plaid `status`'] ?? ''))).toEqual([false, true]);
  });
});

describe('docs/providers/plaid.md "Error mapping" = PLAID_ERROR_CODES and PLAID_ERROR_TYPES', () => {
  const rows = sectionTables(page, 'Error mapping')[0] ?? [];
  const KEY = '`error_code`, or `error_type`';
  /** Rows that only list codes (or `type` + types): the ones the code tables decide. */
  const tableRows = (prefix: '' | 'type ') =>
    rows.filter((row) => {
      const text = (row[KEY] ?? '').replace(/\([^)]*\)/g, '').trim();
      const rest = prefix === '' ? text : text.startsWith('type ') ? text.slice(5) : '';
      return (
        rest !== '' &&
        /^`[A-Z_]+`(?:,\s*`[A-Z_]+`)*$/.test(rest.trim()) &&
        (prefix !== '' || !text.startsWith('type '))
      );
    });

  function compare(table: ProviderCodeTable, prefix: '' | 'type ') {
    const documented = new Map<string, TableRow>();
    for (const row of tableRows(prefix)) for (const code of backticked(row[KEY])) documented.set(code, row);
    expect([...documented.keys()].sort()).toEqual(Object.keys(table).sort());
    for (const [code, row] of documented) {
      const rule = table[code];
      const retryable =
        rule?.retryable ??
        ['rate_limited', 'provider_unavailable', 'network', 'timeout'].includes(rule?.kind ?? '');
      expect([code, first(row, 'kind'), cell(row, 'retryable').split(/\s/)[0]]).toEqual([
        code,
        rule?.kind,
        retryable ? 'yes' : 'no',
      ]);
    }
  }

  it('codes: the same set, kind and retryable', () => compare(PLAID_ERROR_CODES, ''));
  it('types: the same set, kind and retryable', () => compare(PLAID_ERROR_TYPES, 'type '));
});

describe('docs/providers/plaid.md "Field refusals Plaid does not document" = the mappers', () => {
  const rows = sectionTable(page, 'Field refusals Plaid does not document');
  const columns: ReadonlyArray<[string, HttpErrorMapper, string]> = [
    ['on `/retry`', mapPlaidRetryError, 'retry'],
    ['on `/list`', mapPlaidListError, 'getStatus'],
    ['on `/create`, `/get`', mapPlaidError, 'createUser'],
  ];

  it('has the five example messages', () => expect(rows).toHaveLength(5));

  it.each(rows.map((row) => [first(row, 'Example message'), row] as const))('%s', (message, row) => {
    for (const [column, mapper, operation] of columns) {
      const documented = row[column] ?? '';
      if (documented.trim() === '—') continue;
      const failure: HttpFailure = {
        provider: 'plaid',
        operation,
        status: 400,
        body: {
          error_type: 'INVALID_REQUEST',
          error_code: 'INVALID_FIELD',
          error_message: message,
          display_message: null,
          request_id: 'r',
        },
        text: '',
        requestId: 'r',
      };
      expect([column, mapper(failure).kind]).toEqual([column, backticked(documented)[0]]);
    }
  });
});
