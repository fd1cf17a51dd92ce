/**
 * docs/providers/p100.md against the P100 adapter (issue 12): the "Status mapping" table row by row
 * through `p100KycState` / `kycNotFoundState`, and the "Error mapping" table row by row through the
 * mappers the endpoints really use (`mapP100Error`, each endpoint's own `mapError`), so neither the
 * page nor the code can change alone.
 */
import { isRetryableKind } from '@kycport/core';
import type { KycState } from '@kycport/core';
import type { HttpErrorMapper } from '@kycport/http';
import {
  P100_ACCESS_DENIED_CODES,
  P100_ATTEMPT_STATUSES,
  P100_ENDPOINTS,
  P100_ENDPOINT_ERROR_CODES,
  P100_ERROR_CODES,
  P100_VERIFICATION_STATUSES,
  kycNotFoundState,
  mapP100Error,
  p100KycState,
} from '@kycport/p100';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

const page = readDoc('providers/p100.md');
const statusRows = sectionTable(page, 'Status mapping');
// The section's first table is the mapping (the error section has no other table).
const errorRows = sectionTables(page, 'Error mapping')[0] ?? [];

type EndpointName = keyof typeof P100_ENDPOINTS;
const ENDPOINT_NAMES = Object.keys(P100_ENDPOINTS) as EndpointName[];

/** `submit_verification ['a', 'b']` (backticks already stripped by `cell`) -> type and missing items. */
function parseNextAction(text: string): { type: string; missing?: ReadonlyArray<string> } {
  const type = /^([a-z_]+)/.exec(text)?.[1] ?? '';
  const list = /\[([^\]]*)\]/.exec(text)?.[1];
  const missing = list?.split(',').map((item) => item.trim().replace(/^'|'$/g, ''));
  return missing === undefined ? { type } : { type, missing };
}

/** What the row's status / attemptStatus cells stand for, as inputs of `p100KycState`. */
function inputsOf(status: string, attempt: string): Array<[string, string | null | undefined]> {
  const statuses = status === '(other)' ? ['SUSPENDED', 'SOMETHING_NEW'] : [status];
  const attempts =
    attempt === '(none)'
      ? [undefined, null, '']
      : attempt === '(other)'
        ? ['MANUAL_REVIEW']
        : attempt === '(any)'
          ? [...P100_ATTEMPT_STATUSES, undefined]
          : [attempt];
  return statuses.flatMap((s) => attempts.map((a): [string, string | null | undefined] => [s, a]));
}

function stateOfRow(row: TableRow): ReadonlyArray<KycState> {
  const status = cell(row, 'status').replace(/\*/g, '');
  if (status.startsWith('404 P445')) {
    return [kycNotFoundState(status.endsWith('hosted') ? 'hosted' : 'document_upload')];
  }
  return inputsOf(status, cell(row, 'attemptStatus')).map(([s, a]) => p100KycState(s, a));
}

describe('docs/providers/p100.md: Status mapping', () => {
  it('has rows', () => expect(statusRows.length).toBeGreaterThan(15));

  it.each(statusRows.map((row) => [`${cell(row, 'status')} + ${cell(row, 'attemptStatus')}`, row] as const))(
    'maps %s as the page says',
    (_name, row) => {
      const expected = parseNextAction(cell(row, 'nextAction'));
      for (const state of stateOfRow(row)) {
        expect({ status: state.status, nextAction: state.nextAction }).toEqual({
          status: cell(row, 'kycport status'),
          nextAction: expected,
        });
      }
    },
  );

  it('lists every (status, attemptStatus) pair P100 documents, and each status without an attempt', () => {
    const listed = new Set(statusRows.map((row) => `${cell(row, 'status')}/${cell(row, 'attemptStatus')}`));
    for (const status of P100_VERIFICATION_STATUSES) {
      for (const attempt of [...P100_ATTEMPT_STATUSES, '(none)'])
        expect(listed).toContain(`${status}/${attempt}`);
    }
  });
});

/** The endpoint names a "Mapped on" cell lists (`METHOD /path`, ...), or `undefined` for every call. */
function endpointsOf(mappedOn: string): ReadonlyArray<EndpointName> | undefined {
  if (mappedOn === 'every call') return undefined;
  return mappedOn.split(',').map((part) => {
    const [method, path] = part.trim().split(/\s+/);
    const name = ENDPOINT_NAMES.find(
      (candidate) => P100_ENDPOINTS[candidate].method === method && P100_ENDPOINTS[candidate].path === path,
    );
    if (name === undefined) throw new Error(`no P100 endpoint ${part.trim()}`);
    return name;
  });
}

/** What a P100 failure with `code` becomes through `mapper`. */
function mapped(mapper: HttpErrorMapper, code: string, httpStatus: string) {
  const status = /^\d+$/.test(httpStatus) ? Number(httpStatus) : 400;
  const failure = code.startsWith('xo')
    ? { status: 401, body: undefined, text: `Access Denied. ${code}` }
    : { status, body: { errorCode: code, errorName: 'x', errorMessage: 'y' }, text: '' };
  return mapper({ provider: 'p100', operation: 'test', ...failure });
}

const codeRows = errorRows.filter((row) => /^(P\d{3}|xo\d)$/.test(cell(row, 'Code')));

describe('docs/providers/p100.md: Error mapping', () => {
  it.each(codeRows.map((row) => [cell(row, 'Code'), row] as const))(
    '%s: kind and retryable as the page says, through the mapper of each endpoint named',
    (code, row) => {
      const kind = cell(row, 'kind');
      const retryable = cell(row, 'retryable').replace(/\*/g, '') === 'yes';
      const http = cell(row, 'HTTP (documented)').replace(/\*/g, '');
      const endpoints = endpointsOf(cell(row, 'Mapped on'));
      const mappers = (endpoints ?? ENDPOINT_NAMES).map(
        (name) => P100_ENDPOINTS[name].mapError ?? mapP100Error,
      );
      for (const mapper of [...mappers, ...(endpoints === undefined ? [mapP100Error] : [])]) {
        const error = mapped(mapper, code, http);
        expect([error.kind, error.retryable, error.providerCode]).toEqual([kind, retryable, code]);
      }
      if (endpoints !== undefined) {
        // Endpoint-specific: not in the client-wide table, and no other endpoint reads it so.
        expect(P100_ERROR_CODES).not.toHaveProperty(code);
        const carrying = ENDPOINT_NAMES.filter(
          (name) => P100_ENDPOINT_ERROR_CODES[name]?.[code] !== undefined,
        );
        expect([...carrying].sort()).toEqual([...endpoints].sort());
        for (const other of ENDPOINT_NAMES.filter((name) => !endpoints.includes(name))) {
          expect(mapped(P100_ENDPOINTS[other].mapError ?? mapP100Error, code, http).kind).not.toBe(kind);
        }
      }
    },
  );

  it('lists every code of the adapter, and only those', () => {
    const tableCodes = new Set([
      ...Object.keys(P100_ERROR_CODES),
      ...Object.keys(P100_ACCESS_DENIED_CODES),
      ...Object.values(P100_ENDPOINT_ERROR_CODES).flatMap((table) => Object.keys(table ?? {})),
    ]);
    expect(codeRows.map((row) => cell(row, 'Code')).sort()).toEqual([...tableCodes].sort());
  });

  it('agrees with the tables themselves (kind, and retryable as the kind default or the override)', () => {
    for (const row of codeRows) {
      const code = cell(row, 'Code');
      const rule =
        P100_ERROR_CODES[code] ??
        P100_ACCESS_DENIED_CODES[code] ??
        Object.values(P100_ENDPOINT_ERROR_CODES).find((table) => table?.[code] !== undefined)?.[code];
      expect(rule?.kind).toBe(cell(row, 'kind'));
      const retryable = rule === undefined ? undefined : (rule.retryable ?? isRetryableKind(rule.kind));
      expect([code, retryable ? 'yes' : 'no']).toEqual([code, cell(row, 'retryable').replace(/\*/g, '')]);
    }
  });
});

describe('docs/providers/p100.md: upload answers (issue 12 drift)', () => {
  it('says a non-JSON 2xx upload answer is accepted, as the upload endpoints do', () => {
    const gaps = sectionTable(page, 'What P100 does not document, and what kycport does about it');
    const row = gaps.find((entry) => cell(entry, 'Gap').startsWith('Add POA File 201 body'));
    expect(row && cell(row, 'What kycport does')).toMatch(/not JSON is accepted \(tolerateNonJsonSuccess/);
    expect(P100_ENDPOINTS.uploadKycFiles.tolerateNonJsonSuccess).toBe(true);
    expect(P100_ENDPOINTS.uploadPoaFiles.tolerateNonJsonSuccess).toBe(true);
  });
});
