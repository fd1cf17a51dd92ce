/**
 * What every bundled host program shares (see ../bundle-size.ts): its settings come from one
 * environment variable, and it prints one JSON line, `{ ok, steps }` or `{ ok: false, error }`.
 */
import type { CreateUserInput } from '@kycport/core';

/** The variable holding the host's settings as JSON (a simulator's `adapterSettings`). */
export const HOST_CONFIG_VARIABLE = 'KYCPORT_BUNDLE_HOST_CONFIG';

/** What a host printed. */
export type HostOutcome =
  | { readonly ok: true; readonly steps: ReadonlyArray<string> }
  | { readonly ok: false; readonly error: string };

/** The settings the bench passed; the adapter validates them (this is only a parse). */
export function hostConfig<T>(): T {
  return JSON.parse(process.env[HOST_CONFIG_VARIABLE] ?? '{}') as T;
}

/** Runs the host's flow, prints its outcome and exits (keep-alive sockets would hold the process). */
export function runHost(flow: () => Promise<ReadonlyArray<string>>): void {
  flow().then(
    (steps) => {
      const outcome: HostOutcome = { ok: true, steps };
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      const outcome: HostOutcome = {
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      };
      process.stdout.write(`${JSON.stringify(outcome)}\n`);
      process.exit(1);
    },
  );
}

/** An applicant every simulator accepts (Plaid's sandbox user Leslie Knope passes). */
export function hostApplicant(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Leslie', family: 'Knope' },
      email: `${externalId}@example.com`,
      phone: '+12345678909',
      dateOfBirth: '1975-01-18',
      address: { line1: '123 Main St.', city: 'Pawnee', region: 'IN', postalCode: '46001', country: 'US' },
      nationality: 'US',
      ipAddress: '203.0.113.42',
      idNumber: { type: 'us_ssn_last_4', value: '6789' },
      termsAccepted: true,
    },
    providerOptions: {
      plu: { program: 'custodial', accountPurpose: 'personal use' },
      p100: {
        documentType: 'PASSPORT',
        country: 'US',
        birthCountry: 'US',
        incomeSource: 'SALARY',
        occupation: 'IT',
        additionalInfo: 'Engineer',
        openAccountReason: 'DAILY_USE',
      },
    },
  };
}
