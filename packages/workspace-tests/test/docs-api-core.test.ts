/**
 * Core shapes as the docs name them (issue 15):
 * - docs/architecture.md "Errors": the kinds are `KycErrorKind`, "retryable by default" is
 *   `isRetryableKind`;
 * - docs/reliability.md "What a failed call says": the outcomes are `CallOutcome`, each shown both
 *   retryable and not; "Webhooks: dedupe keys": the strengths are `KycEvent['dedupeKeyStrength']`;
 *   "Bounded work": the per-call settings are `CallOptions` keys with the ranges `CallTimingCodec`
 *   enforces, the adapters' timeout ranges are what their `parseConfig` accepts, and the defaults
 *   are the transport's and the adapters' exported ones;
 * - docs/providers/p100.md "Webhooks": the event types are `P100_WEBHOOK_EVENT_TYPES`; every
 *   `applicant.<path>` a page names is a path of `Applicant`;
 * - each docs/providers page's "Capabilities" table is the adapter's capabilities, row for row, with
 *   every `KycCapabilities` key (absent optional ones as "not set").
 */
import * as E from 'fp-ts/Either';
import { CallTimingCodec, isRetryableKind } from '@kycport/core';
import type { KycAdapterDefinition, KycErrorKind } from '@kycport/core';
import { DEFAULT_DEADLINE_MS, DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS } from '@kycport/http';
import * as p100 from '@kycport/p100';
import * as plaid from '@kycport/plaid';
import * as plu from '@kycport/plu';
import {
  exportedType,
  literalUnion,
  propertiesOfType,
  propertyType,
  stringLiterals,
  typeProperties,
} from './api-types';
import { backticked, backtickedCell, docPages, sorted } from './doc-shapes';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

type P100KycMethod = 'hosted' | 'document_upload';

const reliability = readDoc('reliability.md');
/** `15 000 ms` -> 15000. */
const wholeNumber = (text: string): number =>
  Number(text.replace(/(\d) (?=\d{3}\b)/g, '$1').replace(/[^\d].*$/, ''));

describe('docs/architecture.md "Errors" = KycErrorKind', () => {
  const rows = sectionTable(readDoc('architecture.md'), 'Errors');

  it('lists exactly the kinds', () => {
    expect(sorted(rows.map((row) => cell(row, 'kind')))).toEqual(
      sorted(literalUnion('core', 'KycErrorKind')),
    );
  });

  it.each(rows.map((row) => [cell(row, 'kind'), row] as const))(
    '%s: retryable by default as isRetryableKind says',
    (kind, row) => {
      expect(cell(row, 'retryable by default').startsWith('yes')).toBe(isRetryableKind(kind as KycErrorKind));
    },
  );
});

describe('docs/reliability.md', () => {
  it('"What a failed call says": every CallOutcome, both retryable and not', () => {
    // The section's first table (its subsection has another).
    const rows = sectionTables(reliability, 'What a failed call says')[0] ?? [];
    const shown = rows.flatMap((row) =>
      backtickedCell(row, '`outcome`').map((outcome) => `${cell(row, '`retryable`')} ${outcome}`),
    );
    const outcomes = literalUnion('core', 'CallOutcome');
    expect(sorted(shown)).toEqual(
      sorted(outcomes.flatMap((outcome) => [`true ${outcome}`, `false ${outcome}`])),
    );
  });

  it('"Webhooks: dedupe keys and event age": the strengths are KycEvent dedupeKeyStrength', () => {
    const rows = sectionTable(reliability, 'Webhooks: dedupe keys and event age');
    // "`exact` when the payload has a `timestamp`, else `weak`": the strengths lead or follow "else".
    const shown = rows.flatMap((row) =>
      [...(row['`dedupeKeyStrength`'] ?? '').matchAll(/(?:^|else )`(\w+)`/g)].map((match) => match[1] ?? ''),
    );
    expect(sorted(shown)).toEqual(
      sorted(stringLiterals(propertyType(exportedType('core', 'KycEvent'), 'dedupeKeyStrength'))),
    );
  });

  describe('"Bounded work"', () => {
    const rows = sectionTable(reliability, 'Bounded work');
    const row = (setting: string): TableRow =>
      rows.find((candidate) => cell(candidate, 'Setting').startsWith(setting)) ?? {};
    const callKeys = typeProperties('core', 'CallOptions').map((property) => property.name);

    it.each([
      ['timeoutMs', DEFAULT_TIMEOUT_MS],
      ['deadlineMs', DEFAULT_DEADLINE_MS],
    ] as const)(
      '%s: a CallOptions key, its default, and the range CallTimingCodec enforces',
      (key, fallback) => {
        const documented = row(key);
        expect(callKeys).toContain(key);
        expect(cell(documented, 'Where')).toContain('CallOptions');
        expect(wholeNumber(cell(documented, 'Default'))).toBe(fallback);
        const range =
          /[Pp]er call: a whole number ([\d ]+) to ([\d ]+)|a whole number ([\d ]+) to ([\d ]+)/.exec(
            cell(documented, 'Bounds'),
          );
        const [min, max] = [
          wholeNumber(range?.[1] ?? range?.[3] ?? ''),
          wholeNumber(range?.[2] ?? range?.[4] ?? ''),
        ];
        const accepts = (value: number): boolean => E.isRight(CallTimingCodec.decode({ [key]: value }));
        expect([min, max, accepts(min), accepts(max), accepts(min - 1), accepts(max + 1)]).toEqual([
          min,
          max,
          true,
          true,
          false,
          false,
        ]);
      },
    );

    it('timeoutMs: the adapter settings ranges are what each adapter accepts', () => {
      const adapters: Readonly<
        Record<string, readonly [KycAdapterDefinition<unknown>, Readonly<Record<string, unknown>>]>
      > = {
        Plu: [plu.pluAdapter, { apiKey: 'sk_staging_docs' }],
        P100: [p100.p100Adapter, { apiKey: 'docs-key' }],
        Plaid: [
          plaid.plaidAdapter,
          { clientId: 'c', secret: 's', templateId: 'idvtmp_docs', environment: 'sandbox' },
        ],
      };
      const text = /adapter settings: (.*)$/.exec(cell(row('timeoutMs'), 'Bounds'))?.[1] ?? '';
      const ranges = [
        ...text.matchAll(/((?:Plu|P100|Plaid)(?: and (?:Plu|P100|Plaid))*) ([\d ]+?) to ([\d ]+)/g),
      ];
      const covered = ranges.flatMap((match) => (match[1] ?? '').split(' and '));
      expect(sorted(covered)).toEqual(sorted(Object.keys(adapters)));
      for (const match of ranges) {
        const [min, max] = [wholeNumber(match[2] ?? ''), wholeNumber(match[3] ?? '')];
        for (const name of (match[1] ?? '').split(' and ')) {
          const [definition, valid] = adapters[name] ?? [plu.pluAdapter, {}];
          const accepts = (value: number): boolean =>
            E.isRight(definition.parseConfig({ ...valid, timeoutMs: value }));
          expect([name, accepts(min), accepts(max), accepts(min - 1), accepts(max + 1)]).toEqual([
            name,
            true,
            true,
            false,
            false,
          ]);
        }
      }
    });

    it('retries: the transport default policy', () => {
      const retries = row('retries');
      expect(wholeNumber(cell(retries, 'Default'))).toBe(DEFAULT_RETRY_POLICY.maxRetries);
      const bounds = cell(retries, 'Bounds');
      expect(/backoff from (\d+) ms/.exec(bounds)?.[1]).toBe(String(DEFAULT_RETRY_POLICY.baseDelayMs));
      expect(Number(/doubling to (\d+) s/.exec(bounds)?.[1]) * 1000).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
      expect(Number(/Retry-After up to (\d+) s/.exec(bounds)?.[1]) * 1000).toBe(
        DEFAULT_RETRY_POLICY.maxRetryAfterMs,
      );
    });

    it('maxScanPages: a Plu setting and variable, its default, range and code', () => {
      const scan = row('maxScanPages');
      const [key = '', variable = ''] = backtickedCell(scan, 'Setting');
      expect(plu.PLU_ENVIRONMENT_VARIABLES.find((candidate) => candidate.name === variable)?.key).toBe(key);
      expect(wholeNumber(cell(scan, 'Default'))).toBe(plu.PLU_DEFAULT_MAX_SCAN_PAGES);
      expect(backtickedCell(scan, 'Bounds')).toContain(plu.PLU_SCAN_PAGE_LIMIT_CODE);
      const range = /\(([\d ]+) to ([\d ]+)\)/.exec(cell(scan, 'Bounds'));
      const accepts = (value: number): boolean =>
        E.isRight(plu.pluAdapter.parseConfig({ apiKey: 'sk_staging_docs', [key]: value }));
      const [min, max] = [wholeNumber(range?.[1] ?? ''), wholeNumber(range?.[2] ?? '')];
      expect([accepts(min), accepts(max), accepts(min - 1), accepts(max + 1)]).toEqual([
        true,
        true,
        false,
        false,
      ]);
    });

    it('list pages: the Plaid constant it names, with its value', () => {
      const pages = row('list pages');
      const [constant = ''] = backtickedCell(pages, 'Where');
      expect((plaid as unknown as Readonly<Record<string, unknown>>)[constant]).toBe(
        wholeNumber(cell(pages, 'Default')),
      );
    });
  });
});

const operationNames = propertiesOfType(
  propertyType(exportedType('core', 'KycCapabilities'), 'operations'),
).map((property) => property.name);

/** A backticked value as data: `['auto']`, `{ pageSize: 100 }`, `true`; a bare word stays a string. */
function literal(span: string): unknown {
  const json = span.replace(/'/g, '"').replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":');
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return span;
  }
}

/** A Value cell as data: "not set", a number, a backticked literal, or "supported" / "unsupported: ...". */
function valueOf(text: string): unknown {
  if (text.startsWith('not set')) return undefined;
  if (text === 'supported') return { supported: true };
  const reason = /^unsupported: "(.*)"$/.exec(text)?.[1];
  if (reason !== undefined) return { supported: false, reason };
  if (/^\d/.test(text)) return wholeNumber(text);
  return literal(backticked(text)[0] ?? text);
}

/** The capabilities a page's table declares, as an object like `KycCapabilities` (P100's `hostedFlow` per method). */
function documentedCapabilities(rows: ReadonlyArray<TableRow>): Readonly<Record<string, unknown>> {
  const declared: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const row of rows) {
    const names = backtickedCell(row, 'Capability');
    const value = row['Value'] ?? '';
    if (cell(row, 'Capability') === 'operations') {
      const [listed = '', verdict = ''] = value.split(':');
      for (const name of backticked(listed))
        operations[name] = valueOf(verdict.replace(/^\s*all\s*/, '').trim());
      continue;
    }
    const values = names.length > 1 && value.includes(' / ') ? value.split(' / ') : names.map(() => value);
    names.forEach((name, index) => {
      const text = (values[index] ?? '').trim();
      const target = operationNames.includes(name) ? operations : declared;
      target[name] = / with `/.test(text) ? text : valueOf(text);
    });
  }
  return { ...declared, operations };
}

describe.each([
  [
    'plu',
    () =>
      plu.pluCapabilities(
        E.getOrElseW(() => ({ apiKey: '' }))(
          plu.pluAdapter.parseConfig({ apiKey: 'sk_staging_docs' }),
        ) as plu.PluConfig,
      ),
  ],
  ['p100', () => p100.p100Capabilities(p100Config('hosted'))],
  [
    'plaid',
    () =>
      plaid.plaidCapabilities(
        E.getOrElseW(() => ({}))(
          plaid.plaidAdapter.parseConfig({
            clientId: 'c',
            secret: 's',
            templateId: 'idvtmp_docs',
            environment: 'sandbox',
          }),
        ) as plaid.PlaidConfig,
      ),
  ],
] as const)('docs/providers/%s.md "Capabilities"', (provider, capabilities) => {
  const rows = sectionTables(readDoc(`providers/${provider}.md`), 'Capabilities')[0] ?? [];
  const documented = documentedCapabilities(rows);
  const actual = capabilities() as unknown as Readonly<Record<string, unknown>>;

  it('has a row for every KycCapabilities key and operation, and no other', () => {
    const keys = typeProperties('core', 'KycCapabilities').map((property) => property.name);
    expect(sorted(Object.keys(documented))).toEqual(sorted(keys));
    expect(sorted(Object.keys(documented['operations'] as object))).toEqual(sorted(operationNames));
  });

  it('declares what the adapter declares', () => {
    for (const [key, value] of Object.entries(documented)) {
      if (typeof value === 'string' && / with `/.test(value)) {
        // `true` with `kycMethod: 'hosted'`, `false` with `document_upload`: one value per method.
        for (const [, flag, method] of value.matchAll(/`(true|false)` with `(?:kycMethod: )?'?(\w+)'?`/g)) {
          const perMethod = p100.p100Capabilities(p100Config(method as P100KycMethod)) as unknown as Readonly<
            Record<string, unknown>
          >;
          expect([key, method, perMethod[key]]).toEqual([key, method, flag === 'true']);
        }
      } else expect([key, value]).toEqual([key, actual[key]]);
    }
  });
});

function p100Config(kycMethod: P100KycMethod): p100.P100Config {
  const parsed = p100.p100Adapter.parseConfig({ apiKey: 'docs-key', kycMethod });
  if (E.isLeft(parsed)) throw new Error(parsed.left.message);
  return parsed.right as p100.P100Config;
}

describe('docs/providers/p100.md "Webhooks"', () => {
  it('names exactly the event types of P100_WEBHOOK_EVENT_TYPES', () => {
    const rows = sectionTables(readDoc('providers/p100.md'), 'Webhooks')[0] ?? [];
    const types = rows.flatMap((row) => backtickedCell(row, '`type`'));
    expect(sorted(types)).toEqual(sorted(Object.values(p100.P100_WEBHOOK_EVENT_TYPES)));
  });
});

/** Whether `a.b.c` is a property path of the exported type `name` of `@kycport/<pkg>`. */
function isPath(pkg: string, name: string, path: string): boolean {
  let type = exportedType(pkg, name);
  for (const part of path.split('.')) {
    if (!propertiesOfType(type).some((property) => property.name === part)) return false;
    type = propertyType(type, part);
  }
  return true;
}

describe('applicant fields named in the docs', () => {
  const paths = docPages().flatMap(({ path, text }) =>
    backticked(text)
      .filter((span) => /^applicant\.[A-Za-z.]+$/.test(span))
      .map((span) => [path, span.replace(/^applicant\./, '')] as const),
  );

  it('are found', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it('are paths of Applicant', () => {
    expect(
      paths
        .filter(([, path]) => !isPath('core', 'Applicant', path))
        .map(([file, path]) => `${file}: applicant.${path}`),
    ).toEqual([]);
  });
});
