/**
 * Typed provider options, typed webhook event names and `isPlaidProvider`, as a host sees them:
 * - compiled against the BUILT declaration files (`pnpm build` runs before the tests), resolved
 *   through node_modules and the packages' `exports` like an installed package, not the sources:
 *   the adapters' `declare module '@kycport/core'` augmentation must survive the d.ts output;
 * - with no adapter imported, the options stay `unknown`;
 * - `isPlaidProvider` on what the container resolves (Plaid alone: true; a router: false).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { KYC_TOKENS } from '@kycport/core';
import { closeKycContainer, createKycContainer, resolveKyc } from '@kycport/container';
import { isPlaidProvider } from '@kycport/plaid';
import { PACKAGES, ROOT } from './workspace';

const HOST = join(PACKAGES, 'workspace-tests', `.typed-consumer-${process.pid}`);

/** Every `@ts-expect-error` below must be an error: the compile fails otherwise. */
const TYPED = `
import type { CreateUserInput, KycEvent, KycProvider, RetryOptions, SubmitVerificationInput } from '@kycport/core';
import type { PluProviderOptions, PluWebhookEventType } from '@kycport/plu'; // type-only: enough
import { createP100Provider } from '@kycport/p100';
import type { P100WebhookEventType } from '@kycport/p100';
import { isPlaidProvider } from '@kycport/plaid';
import type { PlaidWebhookEventType } from '@kycport/plaid';
import { createKycRouter } from '@kycport/router';

const applicant = { externalId: 'user-42' };
export const ok: CreateUserInput = {
  applicant,
  providerOptions: {
    plu: { program: 'custodial', accountPurpose: 'personal use' },
    p100: { incomeSource: 'SALARY', occupation: 'IT' },
    plaid: { address: 'country_only' },
    acme: { anything: true },
  },
};
// @ts-expect-error Plu's program is custodial or non_custodial
export const badEnum: CreateUserInput = { applicant, providerOptions: { plu: { program: 'custodian' } } };
// @ts-expect-error accountPurpose is a string
export const wrongType: CreateUserInput = { applicant, providerOptions: { plu: { accountPurpose: 1 } } };
// @ts-expect-error a misspelt key inside the plu slice
export const misspelt: CreateUserInput = { applicant, providerOptions: { plu: { progam: 'custodial' } } };
// @ts-expect-error checkStateFirst is Plaid's retry option, not createUser's
export const wrongOperation: CreateUserInput = { applicant, providerOptions: { plaid: { checkStateFirst: true } } };
export const retry: RetryOptions = { providerOptions: { plaid: { checkStateFirst: false }, plu: 'not read' } };
// @ts-expect-error P100's replacePendingAttempt is a boolean
export const badSubmit: SubmitVerificationInput = { providerOptions: { p100: { replacePendingAttempt: 1 } } };
export const slice: PluProviderOptions | undefined = ok.providerOptions?.plu;

export const names: [PluWebhookEventType, P100WebhookEventType, PlaidWebhookEventType] = [
  'rain.user-event',
  'kyc.file_added',
  'IDENTITY_VERIFICATION.RETRIED',
];
// @ts-expect-error not a P100 event name
export const notP100: P100WebhookEventType = 'kyc.unknown';

declare const provider: KycProvider;
export const resolve = isPlaidProvider(provider) ? provider.resolvePlaidEvent : undefined;
// @ts-expect-error a KycProvider has no resolvePlaidEvent until the guard says it is Plaid's
export const unguarded = provider.resolvePlaidEvent;

const p100 = createP100Provider({ apiKey: 'k' });
export const router = createKycRouter({ providers: [p100] });
export async function routed(): Promise<KycEvent<P100WebhookEventType> | undefined> {
  const event = await router.webhooks.parseWebhook({ headers: {}, rawBody: '' })();
  return event._tag === 'Right' ? event.right : undefined;
}
`;

const UNTYPED = `
import type { CreateUserInput, RetryOptions } from '@kycport/core';

type IsUnknown<T> = 0 extends 1 & T ? false : unknown extends T ? true : false;
type Slices = Exclude<CreateUserInput['providerOptions'], undefined>;
export const unknownSlices: [IsUnknown<Slices['plu']>, IsUnknown<Slices['plaid']>] = [true, true];
export const anything: CreateUserInput = { applicant: { externalId: 'u' }, providerOptions: { plu: { program: 42 } } };
export const retry: RetryOptions = { providerOptions: { p100: { replacePendingAttempt: 'yes' } } };
`;

/**
 * Compiles one host file as an installed-package consumer would (nodenext, strict, no paths) and
 * reports its problems and those of the packages' declaration files, plus which kycport packages'
 * built `index.d.ts` the program read (a source file read instead is a problem too).
 */
function compileHost(name: string, code: string): { problems: string[]; builtEntries: string[] } {
  const file = join(HOST, name);
  writeFileSync(file, code);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
  };
  const program = ts.createProgram([file], options);
  const ours = (fileName: string): boolean => relative(PACKAGES, fileName).split('/')[0] !== '..';
  const read = program.getSourceFiles().map((source) => relative(PACKAGES, source.fileName));
  const problems = [
    ...read
      .filter((path) => /^[^/]+\/src\//.test(path))
      .map((path) => `compiled a source file, not the built d.ts: ${path}`),
    ...ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => !diagnostic.file || ours(diagnostic.file.fileName))
      .map((diagnostic) => {
        const at = diagnostic.file ? relative(ROOT, diagnostic.file.fileName) : '';
        return `${at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
  ];
  const builtEntries = read.filter((path) => /^[^/]+\/dist\/index\.d\.ts$/.test(path)).sort();
  return { problems, builtEntries };
}

describe('typed options and events against the built declarations', () => {
  beforeAll(() => {
    for (const name of ['core', 'plu', 'p100', 'plaid', 'router']) {
      if (!existsSync(join(PACKAGES, name, 'dist', 'index.d.ts')))
        throw new Error(`packages/${name}/dist is missing: run pnpm build first`);
    }
    mkdirSync(HOST, { recursive: true });
  });
  afterAll(() => rmSync(HOST, { recursive: true, force: true }));

  it('types each imported adapter slice and event name (the @ts-expect-error lines are errors)', () => {
    const { problems, builtEntries } = compileHost('typed.ts', TYPED);
    expect(problems).toEqual([]);
    expect(builtEntries).toEqual(
      expect.arrayContaining(
        ['core', 'p100', 'plaid', 'plu', 'router'].map((name) => `${name}/dist/index.d.ts`),
      ),
    );
  }, 60_000);

  it('leaves every slice unknown when no adapter is imported', () => {
    const { problems, builtEntries } = compileHost('untyped.ts', UNTYPED);
    expect(problems).toEqual([]);
    expect(builtEntries).toEqual(['core/dist/index.d.ts']);
  }, 60_000);
});

describe('isPlaidProvider on what the container resolves', () => {
  const plaid = {
    clientId: 'client-id',
    secret: 'secret',
    environment: 'sandbox',
    templateId: 'idvtmp_4FrXJvfQU3zGUR',
  } as const;

  it('is true with Plaid as the one provider, false for a router', () => {
    const alone = createKycContainer({ provider: 'plaid', plaid });
    const routed = createKycContainer({
      provider: 'plaid',
      providers: ['plaid', 'plu'],
      plaid,
      plu: { apiKey: 'sk_staging_typed_options' },
    });
    expect(isPlaidProvider(resolveKyc(alone, KYC_TOKENS.KycProvider))).toBe(true);
    expect(isPlaidProvider(resolveKyc(routed, KYC_TOKENS.KycProvider))).toBe(false);
    [alone, routed].forEach(closeKycContainer);
  });
});
