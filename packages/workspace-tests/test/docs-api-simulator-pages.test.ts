/**
 * docs/simulators/*.md and the simulators table of docs/testing.md against @kycport/simulators
 * (issue 15): the options tables are the options types (names, the values of string unions, and
 * the defaults the package exports as constants); the credentials are the exported constants and
 * what a started simulator hands out; `adapterSettings` and `environment` are what a started
 * simulator carries, and configure its adapter the same way; every member a simulator adds to
 * `ProviderSimulator` is documented on its page; Plu's states, codes, users and seed options are
 * the code's.
 */
import * as E from 'fp-ts/Either';
import type { KycAdapterDefinition } from '@kycport/core';
import { p100Adapter } from '@kycport/p100';
import { plaidAdapter } from '@kycport/plaid';
import { pluAdapter } from '@kycport/plu';
import * as simulators from '@kycport/simulators';
import type { ProviderSimulator, SimulatedProviderId } from '@kycport/simulators';
import { exportedType, literalUnion, propertyType, stringLiterals, typeProperties } from './api-types';
import {
  backticked,
  backtickedCell,
  memberName,
  objectShape,
  paragraphStartingWith,
  sorted,
} from './doc-shapes';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import type { TableRow } from './markdown-tables';

type Provider = SimulatedProviderId;
const PROVIDERS: ReadonlyArray<Provider> = ['plu', 'p100', 'plaid'];
const ADAPTERS: Readonly<Record<Provider, KycAdapterDefinition<unknown>>> = {
  plu: pluAdapter,
  p100: p100Adapter,
  plaid: plaidAdapter,
};
const OPTIONS_TYPE: Readonly<Record<Provider, string>> = {
  plu: 'PluSimulatorOptions',
  p100: 'P100SimulatorOptions',
  plaid: 'PlaidSimulatorOptions',
};
const SIMULATOR_TYPE: Readonly<Record<Provider, string>> = {
  plu: 'PluSimulator',
  p100: 'P100Simulator',
  plaid: 'PlaidSimulator',
};
/** Options whose default the package exports as a constant. */
const DEFAULT_CONSTANTS: Readonly<Record<Provider, Readonly<Record<string, string>>>> = {
  plu: {
    maxRetries: 'PLU_SIMULATOR_MAX_RETRIES',
    verificationBaseUrl: 'PLU_SIMULATOR_VERIFICATION_BASE_URL',
    webhookRetryDelaysMs: 'PLU_WEBHOOK_RETRY_DELAYS_MS',
  },
  p100: {
    maxVerificationAttempts: 'P100_SIMULATOR_MAX_ATTEMPTS',
    webhookRetryDelaysMs: 'P100_WEBHOOK_RETRY_DELAYS_MS',
  },
  plaid: {
    listPageSize: 'PLAID_SIMULATOR_LIST_PAGE_SIZE',
    webhookRetryDelaysMs: 'PLAID_WEBHOOK_RETRY_DELAYS_MS',
  },
};

const exported = simulators as unknown as Readonly<Record<string, unknown>>;
const page = (provider: Provider): string => readDoc(`simulators/${provider}.md`);
const unquote = (span: string): string => span.replace(/^'(.*)'$/, '$1');

/** The options table of a page (Plu's is the second table of "Credentials and settings"). */
function optionRows(provider: Provider): ReadonlyArray<TableRow> {
  return provider === 'plu'
    ? (sectionTables(page(provider), 'Credentials and settings')[1] ?? [])
    : sectionTable(page(provider), 'Options');
}

/** `(`port`, default 0; `host`, default `127.0.0.1`; ...)`: the common options a page names in prose. */
function commonOptionsInProse(provider: Provider): ReadonlyArray<string> {
  if (provider === 'plu') return [];
  const text = paragraphStartingWith(page(provider), `\`${OPTIONS_TYPE[provider]}\` extends the common`);
  const inner = /\(([^)]*)\)/.exec(text)?.[1] ?? '';
  return inner.split(';').map((part) => backticked(part)[0] ?? '');
}

describe.each(PROVIDERS)('docs/simulators/%s.md options', (provider) => {
  const rows = optionRows(provider);
  const properties = typeProperties('simulators', OPTIONS_TYPE[provider]).map((property) => property.name);

  it('are exactly the options type (the common ones named in prose or in the table)', () => {
    const documented = [
      ...rows.flatMap((row) => backtickedCell(row, 'Option')),
      ...commonOptionsInProse(provider),
    ];
    expect(sorted(documented)).toEqual(sorted(properties));
    if (provider !== 'plu') {
      const common = typeProperties('simulators', 'SimulatorOptions').map((property) => property.name);
      expect(sorted(commonOptionsInProse(provider))).toEqual(sorted(common));
    }
  });

  it('name every value of the options that take a string union, and default to one of them', () => {
    const options = exportedType('simulators', OPTIONS_TYPE[provider]);
    for (const row of rows) {
      const name = backtickedCell(row, 'Option')[0] ?? '';
      const values = stringLiterals(propertyType(options, name));
      if (values.length < 2) continue;
      const spans = [...backtickedCell(row, 'Default'), ...backtickedCell(row, 'Meaning')].map(unquote);
      expect([name, values.filter((value) => !spans.includes(value))]).toEqual([name, []]);
      const fallback = unquote(backtickedCell(row, 'Default')[0] ?? '');
      expect([name, values.includes(fallback)]).toEqual([name, true]);
    }
  });

  it('give the defaults the package exports', () => {
    for (const [option, constant] of Object.entries(DEFAULT_CONSTANTS[provider])) {
      const row = rows.find((candidate) => backtickedCell(candidate, 'Option').includes(option));
      const text = cell(row ?? {}, 'Default');
      const value = /^[[\d]/.test(text) ? (JSON.parse(text) as unknown) : text;
      expect([option, value]).toEqual([option, exported[constant]]);
    }
  });
});

/** `value` (`CONSTANT`) pairs of a text. */
function constantPairs(text: string): ReadonlyArray<readonly [string, string]> {
  return [...text.matchAll(/`([^`]+)`\s*\(`([A-Z0-9_]+)`/g)].map(
    (match) => [match[1] ?? '', match[2] ?? ''] as const,
  );
}

/** The credentials a page documents, as [value, constant] pairs. */
function documentedCredentials(provider: Provider): ReadonlyArray<readonly [string, string]> {
  if (provider === 'plu') {
    const rows = sectionTables(page(provider), 'Credentials and settings')[0] ?? [];
    return rows.flatMap((row) => constantPairs(row['Value'] ?? ''));
  }
  const heading = provider === 'p100' ? 'Credentials' : 'Credentials and settings';
  return sectionTable(page(provider), heading).map(
    (row) => [cell(row, 'Value'), cell(row, 'Constant')] as const,
  );
}

/** What a page says `sim.adapterSettings` and `sim.environment` hold. */
function documentedSettings(provider: Provider): { settings: string; environment: ReadonlyArray<string> } {
  if (provider === 'plu') {
    const rows = sectionTables(page(provider), 'Credentials and settings')[0] ?? [];
    const row = (what: string): TableRow => rows.find((candidate) => cell(candidate, 'What') === what) ?? {};
    return {
      settings: cell(row('adapterSettings'), 'Value'),
      environment: backtickedCell(row('environment'), 'Value'),
    };
  }
  const text = page(provider);
  const settings = /`sim\.adapterSettings` is `(\{[^`]*\})`/.exec(text)?.[1] ?? '';
  const environment = backticked(/`sim\.environment` holds\s+([\s\S]*?), so/.exec(text)?.[1] ?? '');
  return { settings, environment };
}

describe.each(PROVIDERS)('docs/simulators/%s.md credentials and settings', (provider) => {
  let sim: ProviderSimulator;
  beforeAll(async () => {
    sim = await simulators.startSimulator(provider);
  });
  afterAll(() => sim.close());

  it('name the exported constants with their values', () => {
    const pairs = documentedCredentials(provider);
    expect(pairs.length).toBeGreaterThan(1);
    for (const [value, constant] of pairs) expect([constant, exported[constant]]).toEqual([constant, value]);
  });

  it('document every credential the simulator hands out', () => {
    const values = documentedCredentials(provider).map(([value]) => value);
    const handedOut = Object.entries(sim.adapterSettings)
      .filter(([key]) => key !== 'baseUrl')
      .map(([, value]) => String(value));
    expect(handedOut.filter((value) => !values.includes(value))).toEqual([]);
  });

  it('say what adapterSettings and environment hold, and they configure the adapter alike', () => {
    const { settings, environment } = documentedSettings(provider);
    expect(sorted(objectShape(settings).map((property) => property.name))).toEqual(
      sorted(Object.keys(sim.adapterSettings)),
    );
    const base = (text: string): string => text.replace('<sim.baseUrl>', sim.baseUrl).replace(/^'|'$/g, '');
    for (const [, key = '', value = ''] of settings.matchAll(/(\w+): ('[^']*')/g))
      expect(sim.adapterSettings[key]).toBe(base(value));
    const variables = environment.map((span) => span.split('=')[0] ?? '');
    expect(sorted(variables)).toEqual(sorted(Object.keys(sim.environment)));
    for (const span of environment.filter((text) => text.includes('='))) {
      const [name = '', value = ''] = span.split('=');
      expect(sim.environment[name]).toBe(base(value));
    }
    const adapter = ADAPTERS[provider];
    const fromEnv = adapter.configFromEnv(sim.environment);
    expect(E.isRight(fromEnv) ? fromEnv.right : fromEnv.left).toEqual(
      E.getOrElseW(() => 'invalid')(adapter.parseConfig(sim.adapterSettings)),
    );
  });

  it('name only constants the packages export or variables the adapters read', () => {
    const variables = new Set(
      Object.values(ADAPTERS).flatMap((adapter) =>
        adapter.environmentVariables.map((variable) => variable.name),
      ),
    );
    const unknown = backticked(page(provider)).filter(
      (span) => /^(PLU|P100|PLAID)_[A-Z0-9_]+$/.test(span) && !(span in exported) && !variables.has(span),
    );
    expect(unknown).toEqual([]);
  });

  it('document every member the simulator adds to ProviderSimulator', () => {
    const common = new Set(
      typeProperties('simulators', 'ProviderSimulator').map((property) => property.name),
    );
    const added = typeProperties('simulators', SIMULATOR_TYPE[provider])
      .map((property) => property.name)
      .filter((name) => !common.has(name));
    const named = new Set(backticked(page(provider)).map((span) => memberName(span.replace(/^sim\./, ''))));
    expect(added.filter((name) => !named.has(name))).toEqual([]);
  });
});

describe('docs/simulators/plaid.md members', () => {
  const text = page('plaid');
  const members = new Set(typeProperties('simulators', 'PlaidSimulator').map((property) => property.name));

  it('"Extra members" are exactly what PlaidSimulator adds', () => {
    const paragraph = paragraphStartingWith(text, 'Extra members of the returned `PlaidSimulator`').replace(
      / \([^)]*\)/g,
      '',
    );
    const named = backticked(paragraph)
      .slice(1)
      .map((span) => memberName(span) ?? span);
    const common = new Set(
      typeProperties('simulators', 'ProviderSimulator').map((property) => property.name),
    );
    expect(sorted(named)).toEqual(sorted([...members].filter((name) => !common.has(name))));
  });

  it('"Control API" names PlaidSimulator members, every control member among them', () => {
    const paragraph = paragraphStartingWith(text, 'In process: ').split('Over HTTP')[0] ?? '';
    const named = backticked(paragraph.replace(/ \([^)]*\)/g, '')).map((span) => memberName(span) ?? span);
    expect(named.filter((name) => !members.has(name))).toEqual([]);
    const notControl = ['provider', 'baseUrl', 'adapterSettings', 'environment', 'close'];
    const control = typeProperties('simulators', 'ProviderSimulator')
      .map((property) => property.name)
      .filter((name) => !notControl.includes(name));
    expect(control.filter((name) => !named.includes(name))).toEqual([]);
  });
});

describe('docs/simulators/p100.md injectProviderError', () => {
  it('names the rule as P100ProviderErrorRule is', () => {
    const span = backticked(page('p100')).find((text) => text.startsWith('sim.injectProviderError('));
    expect(objectShape(span ?? '')).toEqual(typeProperties('simulators', 'P100ProviderErrorRule'));
  });
});

describe('docs/simulators/plu.md vocabulary', () => {
  const text = page('plu');

  it('"State machine" lists exactly PLU_SIMULATOR_STATES, and so does the curl example', () => {
    const rows = sectionTable(text, 'State machine');
    expect(sorted(rows.map((row) => cell(row, 'State')))).toEqual(sorted(simulators.PLU_SIMULATOR_STATES));
    const comment = /# move a user to a state: (.*)/.exec(text)?.[1] ?? '';
    expect(sorted(comment.split('|').map((state) => state.trim()))).toEqual(
      sorted(simulators.PLU_SIMULATOR_STATES),
    );
  });

  it('names only PLU_SIM_CODES in its code table, and every one of them somewhere', () => {
    const codes: ReadonlyArray<string> = Object.values(simulators.PLU_SIM_CODES);
    const rows = sectionTables(text, 'Endpoints simulated')[1] ?? [];
    const listed = rows.flatMap((row) => backtickedCell(row, 'Code'));
    expect(listed.filter((code) => !codes.includes(code))).toEqual([]);
    const named = new Set(backticked(text));
    expect(codes.filter((code) => !named.has(code))).toEqual([]);
  });

  it('describes users() entries as PluSimulatedUser is', () => {
    const span = backticked(paragraphStartingWith(text, '`users()` returns'))[1] ?? '';
    expect(sorted(objectShape(span).map((property) => property.name))).toEqual(
      sorted(typeProperties('simulators', 'PluSimulatedUser').map((property) => property.name)),
    );
  });

  it('names the seed options as PluSeedOptions is', () => {
    const sentence = /Options \(`PluSeedOptions`\):([\s\S]*?)\. /.exec(text)?.[1] ?? '';
    const named = [...sentence.matchAll(/`(\w+)` \(/g)].map((match) => match[1] ?? '');
    expect(sorted(named)).toEqual(
      sorted(typeProperties('simulators', 'PluSeedOptions').map((property) => property.name)),
    );
  });
});

describe('docs/testing.md simulators table', () => {
  const rows = sectionTables(readDoc('testing.md'), 'Provider simulators')[0] ?? [];
  const row = (label: string): TableRow =>
    rows.find((candidate) => (candidate[''] ?? '').startsWith(label)) ?? {};
  const COLUMN: Readonly<Record<Provider, string>> = { plu: 'Plu', p100: 'P100', plaid: 'Plaid' };
  const DELAYS: Readonly<Record<Provider, string>> = {
    plu: 'PLU_WEBHOOK_RETRY_DELAYS_MS',
    p100: 'P100_WEBHOOK_RETRY_DELAYS_MS',
    plaid: 'PLAID_WEBHOOK_RETRY_DELAYS_MS',
  };

  it.each(PROVIDERS)('%s: the credentials are what the simulator hands out', async (provider) => {
    const sim = await simulators.startSimulator(provider);
    try {
      const handedOut = Object.entries(sim.adapterSettings)
        .filter(([key]) => key !== 'baseUrl')
        .map(([, value]) => String(value));
      expect(sorted(backtickedCell(row('credentials'), COLUMN[provider]))).toEqual(sorted(handedOut));
    } finally {
      await sim.close();
    }
  });

  it.each(PROVIDERS)('%s: the re-delivery delays are the default schedule', (provider) => {
    const text = cell(row('re-delivery'), COLUMN[provider]);
    const delays = exported[DELAYS[provider]] as ReadonlyArray<number>;
    const listed = (/^([\d, ]+) ms/.exec(text)?.[1] ?? '').split(',').map(Number);
    const factor = /then ×(\d+) each time/.exec(text)?.[1];
    if (factor === undefined) expect(listed).toEqual(delays);
    else {
      expect(listed).toEqual([delays[0]]);
      expect(delays.slice(1).map((delay, index) => delay / (delays[index] ?? 1))).toEqual(
        delays.slice(1).map(() => Number(factor)),
      );
    }
  });

  it('Plaid: the webhook codes are PlaidWebhookCode', () => {
    const codes = backtickedCell(row('webhooks'), 'Plaid').filter((span) => /^[A-Z_]+$/.test(span));
    expect(sorted(codes)).toEqual(sorted(literalUnion('simulators', 'PlaidWebhookCode')));
  });

  it('Plu: the webhook event and header are the exported constants', () => {
    const strings = new Set(Object.values(exported).filter((value) => typeof value === 'string'));
    expect(backtickedCell(row('webhooks'), 'Plu').filter((span) => !strings.has(span))).toEqual([]);
  });
});
