/**
 * Configuration and provider options as the docs name them, against the code (issue 15):
 * - each docs/providers page's "Configuration" table, and the fake's table in docs/configuration.md:
 *   the keys are the config codec's keys (required exactly where the table says `yes`), the
 *   variables are the adapter definition's `environmentVariables` (same key, secret where the row
 *   says so), every value of an enum key is named, and every documented whole-number range is
 *   the one `parseConfig` enforces;
 * - every `providerOptions.<id>` key a provider page names is a key of its option codecs, and every
 *   key of those codecs is named; Plaid's option table says on which call each is accepted;
 * - each page's base-URL table is the adapter's `*_BASE_URLS`;
 * - docs/configuration.md: the `KYC_PROVIDER` ids, the routing variables (each has an effect, and
 *   every `*_VARIABLE` the container exports is listed) and the error messages it quotes.
 */
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import type { KycAdapterDefinition } from '@kycport/core';
import * as container from '@kycport/container';
import { P100Config, P100ProviderOptions, P100_BASE_URLS, p100Adapter } from '@kycport/p100';
import {
  PLAID_BASE_URLS,
  PlaidConfig,
  PlaidCreateUserOptions,
  PlaidRetryApplicant,
  PlaidRetryOptions,
  plaidAdapter,
} from '@kycport/plaid';
import { PLU_BASE_URLS, PluConfig, PluProviderOptions, pluAdapter } from '@kycport/plu';
import { FakeConfig, fakeKycAdapter } from '@kycport/testing';
import { exportedType, propertyType, stringLiterals, typeProperties } from './api-types';
import { backticked, backtickedCell, objectShape, sorted } from './doc-shapes';
import { codecKeys, enumValues } from './io-ts-shapes';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

type Adapter = 'plu' | 'p100' | 'plaid' | 'fake';

interface ConfigSubject {
  readonly definition: KycAdapterDefinition<unknown>;
  readonly codec: t.Mixed;
  /** The package and exported type to read the keys from when the codec cannot be opened. */
  readonly type: readonly [string, string];
  /** A valid configuration, the base of the range checks. */
  readonly valid: Readonly<Record<string, unknown>>;
  readonly rows: () => ReadonlyArray<TableRow>;
}

const SUBJECTS: Readonly<Record<Adapter, ConfigSubject>> = {
  plu: {
    definition: pluAdapter,
    codec: PluConfig,
    type: ['plu', 'PluConfig'],
    valid: { apiKey: 'sk_staging_docs' },
    rows: () => sectionTables(readDoc('providers/plu.md'), 'Configuration')[0] ?? [],
  },
  p100: {
    definition: p100Adapter,
    codec: P100Config,
    type: ['p100', 'P100Config'],
    valid: { apiKey: 'docs-key' },
    rows: () => sectionTable(readDoc('providers/p100.md'), 'Configuration'),
  },
  plaid: {
    definition: plaidAdapter,
    codec: PlaidConfig,
    type: ['plaid', 'PlaidConfig'],
    valid: {
      clientId: 'docs-client',
      secret: 'docs-secret',
      templateId: 'idvtmp_docs',
      environment: 'sandbox',
    },
    rows: () => sectionTables(readDoc('providers/plaid.md'), 'Configuration')[0] ?? [],
  },
  fake: {
    definition: fakeKycAdapter,
    codec: FakeConfig,
    type: ['testing', 'FakeConfig'],
    valid: {},
    rows: () => sectionTables(readDoc('configuration.md'), 'From the environment')[1] ?? [],
  },
};

interface ConfigKey {
  readonly name: string;
  readonly required: boolean;
  readonly values: ReadonlyArray<string>;
}

/** The config keys: walked from the codec, or read from the exported type when the codec is opaque. */
function configKeys(subject: ConfigSubject): ReadonlyArray<ConfigKey> {
  const walked = codecKeys(subject.codec);
  if (walked)
    return walked.map((key) => ({ name: key.name, required: key.required, values: enumValues(key.codec) }));
  const [pkg, name] = subject.type;
  const type = exportedType(pkg, name);
  return typeProperties(pkg, name).map((property) => ({
    name: property.name,
    required: !property.optional,
    values: stringLiterals(propertyType(type, property.name)),
  }));
}

const keyOf = (row: TableRow): string => backtickedCell(row, 'Key')[0] ?? '';
const variableOf = (row: TableRow): string | undefined => backtickedCell(row, 'Variable')[0];
/** The row's text other than its key and variable names. */
const describedBy = (row: TableRow): string =>
  Object.entries(row)
    .filter(([column]) => column !== 'Key' && column !== 'Variable')
    .map(([, value]) => value)
    .join(' ');

describe.each(Object.keys(SUBJECTS) as Adapter[])('the %s configuration table', (adapter) => {
  const subject = SUBJECTS[adapter];
  const rows = subject.rows();
  const keys = configKeys(subject);
  const variables = subject.definition.environmentVariables;

  it('lists exactly the config keys, required where it says yes', () => {
    expect(sorted(rows.map(keyOf))).toEqual(sorted(keys.map((key) => key.name)));
    for (const key of keys) {
      const row = rows.find((candidate) => keyOf(candidate) === key.name) ?? {};
      const required = row['Required'] === undefined ? false : cell(row, 'Required') === 'yes';
      expect([key.name, required]).toEqual([key.name, key.required]);
    }
  });

  it('lists exactly the environment variables, each with its key, secret where it says so', () => {
    const documented = rows.flatMap((row) => {
      const variable = variableOf(row);
      return variable === undefined ? [] : [`${variable} -> ${keyOf(row)}`];
    });
    expect(sorted(documented)).toEqual(
      sorted(variables.map((variable) => `${variable.name} -> ${variable.key}`)),
    );
    for (const variable of variables) {
      const row = rows.find((candidate) => variableOf(candidate) === variable.name) ?? {};
      const saysSecret = /\bsecret\b/i.test(describedBy(row)) || (row['Variable'] ?? '').includes('(secret)');
      expect([variable.name, saysSecret]).toEqual([variable.name, variable.secret]);
    }
  });

  it('names every value of an enum key', () => {
    for (const key of keys.filter((candidate) => candidate.values.length > 0)) {
      const row = rows.find((candidate) => keyOf(candidate) === key.name) ?? {};
      const named = Object.values(row).flatMap((value) => backticked(value));
      expect([key.name, key.values.filter((value) => !named.includes(value))]).toEqual([key.name, []]);
    }
  });

  it('documents the range parseConfig enforces for every whole-number setting', () => {
    for (const variable of variables.filter((candidate) => candidate.type === 'integer')) {
      const row = rows.find((candidate) => variableOf(candidate) === variable.name) ?? {};
      const range = /(\d+)\s*(?:-|–|to)\s*(\d+)/.exec(describedBy(row).replace(/(\d) (?=\d{3}\b)/g, '$1'));
      expect([variable.name, range !== null]).toEqual([variable.name, true]);
      const [min, max] = [Number(range?.[1]), Number(range?.[2])];
      const accepts = (value: number): boolean =>
        E.isRight(subject.definition.parseConfig({ ...subject.valid, [variable.key]: value }));
      expect([variable.key, accepts(min), accepts(max), accepts(min - 1), accepts(max + 1)]).toEqual([
        variable.key,
        true,
        true,
        false,
        false,
      ]);
    }
  });
});

type Provider = 'plu' | 'p100' | 'plaid';
const OPTION_CODECS: Readonly<Record<Provider, ReadonlyArray<t.Mixed>>> = {
  plu: [PluProviderOptions],
  p100: [P100ProviderOptions],
  plaid: [PlaidCreateUserOptions, PlaidRetryOptions],
};

/** The option keys of a provider: every key of its option codecs, with the codec of each. */
function optionKeys(provider: Provider): ReadonlyMap<string, t.Mixed> {
  return new Map(
    OPTION_CODECS[provider].flatMap((codec) =>
      (codecKeys(codec) ?? []).map((key) => [key.name, key.codec] as const),
    ),
  );
}

/** Every `providerOptions.<id>` key a page names: dotted paths, object literals and option tables. */
function namedOptions(provider: Provider, markdown: string): ReadonlyArray<string> {
  const spans = backticked(markdown);
  const dotted = spans.flatMap((span) =>
    [...span.matchAll(new RegExp(`providerOptions\\.${provider}\\.(\\w+)`, 'g'))].map(
      (match) => match[1] ?? '',
    ),
  );
  const literal = spans.flatMap((span) => {
    const object = new RegExp(`providerOptions: \\{ ${provider}: (\\{[^}]*\\})`).exec(span)?.[1];
    return object ? objectShape(object).map((property) => property.name) : [];
  });
  const column = `\`providerOptions.${provider}\``;
  const tabled = markdown
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .flatMap((heading) => tablesUnder(markdown, heading))
    .flatMap((row) => (row[column] === undefined ? [] : [backtickedCell(row, column)[0] ?? '']));
  const optionTable = provider === 'plaid' ? plaidOptionRows().map(optionName) : [];
  return [...dotted, ...literal, ...tabled, ...optionTable];
}

function tablesUnder(markdown: string, heading: string): ReadonlyArray<TableRow> {
  return sectionTables(markdown, heading).flat();
}

const plaidOptionRows = (): ReadonlyArray<TableRow> =>
  sectionTables(readDoc('providers/plaid.md'), 'Configuration')[1] ?? [];
const optionName = (row: TableRow): string =>
  (backtickedCell(row, 'Option')[0] ?? '').split(':')[0]?.trim() ?? '';

describe.each(['plu', 'p100', 'plaid'] as const)('docs/providers/%s.md providerOptions', (provider) => {
  const markdown = readDoc(`providers/${provider}.md`);
  const keys = optionKeys(provider);
  const named = namedOptions(provider, markdown);

  it('names only keys of the option codecs, and every one of them', () => {
    expect(sorted(named.filter((name) => !keys.has(name)))).toEqual([]);
    expect([...keys.keys()].filter((name) => !named.includes(name))).toEqual([]);
  });

  it('lists the values of enum options as the codecs have them', () => {
    const column = `\`providerOptions.${provider}\``;
    const rows = markdown
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .flatMap((line) => tablesUnder(markdown, line.replace(/^#+\s*/, '').trim()))
      .filter((row) => row[column] !== undefined);
    for (const row of rows) {
      const name = backtickedCell(row, column)[0] ?? '';
      const values = enumValues(keys.get(name) ?? ({} as t.Mixed));
      if (values.length === 0) continue;
      // Values of other options (`required when \`SALARY\``) are conditions, not this option's values.
      const others = new Set(
        [...keys].filter(([other]) => other !== name).flatMap(([, codec]) => enumValues(codec)),
      );
      const listed = Object.values(row)
        .flatMap((text) => backticked(text))
        .filter((span) => span !== name && /^[A-Z_]+$/.test(span) && !others.has(span));
      expect([name, listed.filter((value) => !values.includes(value))]).toEqual([name, []]);
      if (!Object.values(row).some((text) => text.includes('...')))
        expect([name, values.filter((value) => !listed.includes(value))]).toEqual([name, []]);
      if (row['Type'] !== undefined) expect([name, cell(row, 'Type')]).toEqual([name, keys.get(name)?.name]);
    }
  });
});

describe('docs/providers/plaid.md option table', () => {
  const rows = plaidOptionRows();
  const create = new Set((codecKeys(PlaidCreateUserOptions) ?? []).map((key) => key.name));
  const retry = new Set((codecKeys(PlaidRetryOptions) ?? []).map((key) => key.name));

  it('says on which call each option is accepted', () => {
    for (const row of rows) {
      const name = optionName(row);
      const on = cell(row, 'On');
      expect([name, /createUser/.test(on), /retry/.test(on)]).toEqual([
        name,
        create.has(name),
        retry.has(name),
      ]);
    }
  });

  it('names the retry applicant fields and the address modes as the codecs do', () => {
    const applicant = rows.find((row) => optionName(row) === 'applicant') ?? {};
    expect(objectShape(cell(applicant, 'Option'))).toEqual(
      (codecKeys(PlaidRetryApplicant) ?? []).map((key) => ({ name: key.name, optional: !key.required })),
    );
    const address = rows.find((row) => optionName(row) === 'address') ?? {};
    const modes = [...cell(address, 'Option').matchAll(/'(\w+)'/g)].map((match) => match[1] ?? '');
    expect(sorted(modes)).toEqual(sorted(enumValues(optionKeys('plaid').get('address') ?? ({} as t.Mixed))));
  });
});

describe('base URLs', () => {
  it.each([
    ['plu', 'Overview, base URLs, authentication', 'Environment', PLU_BASE_URLS],
    ['p100', 'Base URLs and authentication', '`environment`', P100_BASE_URLS],
  ] as const)('docs/providers/%s.md lists *_BASE_URLS', (provider, heading, column, urls) => {
    const rows = sectionTables(readDoc(`providers/${provider}.md`), heading)[0] ?? [];
    const documented = Object.fromEntries(
      rows.map((row) => [backtickedCell(row, column)[0], cell(row, 'Base URL')]),
    );
    expect(documented).toEqual(urls);
  });

  it('docs/providers/plaid.md names PLAID_BASE_URLS', () => {
    const line = readDoc('providers/plaid.md')
      .split('\n')
      .find((text) => text.startsWith('- Base URLs:'));
    expect(sorted(backticked(line).filter((span) => span.startsWith('https://')))).toEqual(
      sorted(Object.values(PLAID_BASE_URLS)),
    );
  });
});

describe('docs/configuration.md', () => {
  const page = readDoc('configuration.md');

  it('"From the environment": KYC_PROVIDER takes the built-in ids', () => {
    const row = (sectionTables(page, 'From the environment')[0] ?? []).find(
      (candidate) => cell(candidate, 'Variable') === container.PROVIDER_VARIABLE,
    );
    const ids = backticked(row?.['Meaning']);
    expect(sorted(ids)).toEqual(sorted(container.knownAdapterIds()));
  });

  /** What each routing variable is set to when it is tried alone (with `KYC_PROVIDERS=plu,p100`). */
  const SAMPLE: Readonly<Record<string, string>> = {
    KYC_PROVIDERS: 'plu,p100',
    KYC_ROUTE_COUNTRY_PL: 'p100',
    KYC_ROUTE_NATIONALITY_PL: 'p100',
    KYC_ROLLOUT: 'p100:5',
    KYC_FAILOVER: 'p100',
    KYC_LEGACY_REF_PROVIDER: 'p100',
  };

  it('"Several providers at once": every routing variable has an effect, and every one the container names is listed', () => {
    const rows = sectionTable(page, 'Several providers at once');
    const documented = rows.map((row) => cell(row, 'Variable'));
    const named = Object.entries(container)
      .filter(([name, value]) => name.endsWith('_VARIABLE') && typeof value === 'string')
      .map(([, value]) => String(value));
    expect(named.filter((name) => !documented.includes(name))).toEqual([]);
    const base = { KYC_PROVIDERS: 'plu,p100' };
    const routing = (env: Readonly<Record<string, string>>): unknown =>
      E.getOrElseW((error) => error)(container.routingConfigFromEnv(env, 'plu'));
    for (const variable of documented.filter((name) => name !== container.PROVIDER_VARIABLE)) {
      const name = variable.replace('<CC>', 'PL');
      const value = SAMPLE[name];
      expect([name, value !== undefined]).toEqual([name, true]);
      const env = name === 'KYC_PROVIDERS' ? { [name]: value ?? '' } : { ...base, [name]: value ?? '' };
      const without = name === 'KYC_PROVIDERS' ? {} : base;
      expect([name, routing(env)]).not.toEqual([name, routing(without)]);
      expect([name, E.isRight(container.routingConfigFromEnv(env, 'plu'))]).toEqual([name, true]);
    }
  });

  /** The message when @kycport/plu cannot be required (as in a bundle that did not include it). */
  function pluMissingMessage(): string {
    let message = 'no error';
    jest.isolateModules(() => {
      jest.doMock('@kycport/plu', () => {
        throw Object.assign(new Error("Cannot find module '@kycport/plu'"), { code: 'MODULE_NOT_FOUND' });
      });
      const isolated = jest.requireActual<typeof container>('@kycport/container');
      const config = isolated.kycConfigFromEnv({ KYC_PROVIDER: 'plu' });
      if (E.isLeft(config)) message = config.left.message;
    });
    return message;
  }

  it('"Errors you can get" quotes the messages as the container words them', () => {
    const block = /## Errors you can get\n\n```\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
    const quoted = block.trim().split('\n');
    const environments = [
      {},
      { KYC_PROVIDER: 'no-such-provider' },
      { KYC_PROVIDER: 'fake', KYC_FAKE_MAX_ATTEMPTS: 'x' },
    ];
    const messages = environments.map((env) => {
      const config = container.kycConfigFromEnv(env);
      return E.isLeft(config) ? config.left.message : 'no error';
    });
    const all = [...messages, pluMissingMessage()];
    expect(quoted.filter((line) => !all.includes(line))).toEqual([]);
    expect(quoted.length).toBe(all.length);
  });
});
