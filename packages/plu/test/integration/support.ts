/** Helpers of the Plu integration tests against the Plu simulator (not a test file). */
import { randomUUID } from 'node:crypto';
import type { Either } from 'fp-ts/Either';
import { formatUserRef, readUserRef } from '@kycport/core';
import type { CreateUserInput, KycError, UserRef } from '@kycport/core';
import { PLU_SIMULATOR_API_KEY } from '@kycport/simulators';
import type { PluSimulator, PluSimulatorOptions } from '@kycport/simulators';
import { countingObserver } from '@kycport/testing';
import { PLU_PROVIDER_ID, pluAdapter } from '../../src';

export const CREATE = '/api/v2/partner/card/users';
export const LIST = '/api/v1/partner/card/users';
export const RETRY = (serviceId: string) => `/api/v2/partner/card/users/${serviceId}/retry-kyc`;

/** The adapter built from the simulator's settings (validated once, as a host would), with a call counter. */
export function wire(sim: Pick<PluSimulator, 'adapterSettings'>, overrides: Record<string, unknown> = {}) {
  const config = pluAdapter.parseConfig({ ...sim.adapterSettings, ...overrides });
  if (config._tag === 'Left') throw new Error(config.left.message);
  const observer = countingObserver();
  const { provider, webhooks, close } = pluAdapter.create(config.right, { observer });
  return { provider, webhooks, observer, close };
}

/** The ref a host stores for a simulator user: `plu:<serviceId>` (what results, errors and events carry). */
export function pluRef(serviceId: string): UserRef {
  return formatUserRef(PLU_PROVIDER_ID, serviceId);
}

/** The simulator's serviceId of a host's ref (qualified `plu:<serviceId>`, or a bare legacy one). */
export function serviceIdOf(ref: string): string {
  return readUserRef(ref).id;
}

export function right<T>(result: Either<KycError, T>): T {
  if (result._tag === 'Left')
    throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

export function left<T>(result: Either<KycError, T>): KycError {
  if (result._tag === 'Right') throw new Error('expected a KycError');
  return result.left;
}

/** The neutral applicant of Plu's documented create-user example, with the given email and last name. */
export function inputFor(email: string, family = 'Doe'): CreateUserInput {
  return {
    applicant: {
      externalId: 'host-user-42',
      name: { given: 'Jane', family },
      email,
      phone: '+14155555555',
      ipAddress: '203.0.113.42',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      termsAccepted: true,
    },
    providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
  };
}

/** A request to the simulator as Plu's partner API expects it (bearer key; a fresh idempotency key on POST). */
export async function call(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; idempotencyKey?: string } = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${PLU_SIMULATOR_API_KEY}` };
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Creates a user over HTTP (Plu's documented example body) and returns its serviceId. */
export async function createdUser(baseUrl: string, email: string, lastName = 'Doe'): Promise<string> {
  const body = {
    firstName: 'Jane',
    lastName,
    email,
    phoneNumber: '+14155555555',
    accountPurpose: 'personal use',
    ipAddress: '203.0.113.42',
    isTermsOfServiceAccepted: true,
    program: 'custodial',
    address: '123 Main Street',
    city: 'San Francisco',
    region: 'CA',
    postalCode: '94105',
    countryCode: 'US',
  };
  const answer = await call(baseUrl, 'POST', CREATE, { body });
  if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${answer.text}`);
  return (answer.json as { data: { serviceId: string } }).data.serviceId;
}

/**
 * The simulator variants the integration tests run against (issue 12): every value of every open
 * behaviour (retry refusals, key-reuse refusals, a page cap with or without `total`, the signature
 * scheme) appears in at least one variant; the first is the simulator's default. `codes` is what
 * that variant answers, so a test can say which provider code the adapter must keep.
 */
export interface PluVariant {
  readonly name: string;
  readonly options: PluSimulatorOptions;
  readonly codes: { readonly notDenied?: string; readonly retryLimit?: string; readonly keyReused?: string };
}

export const PLU_VARIANTS: ReadonlyArray<PluVariant> = [
  {
    name: 'defaults: generic 400 codes, X-Webhook-Signature',
    options: {},
    codes: { notDenied: 'BAD_REQUEST', retryLimit: 'BAD_REQUEST', keyReused: 'BAD_REQUEST' },
  },
  {
    name: 'distinct codes, a named key-reuse code, t=,v1= signatures',
    options: {
      retryRefusal: 'distinct-codes',
      keyReuseRefusal: 'named-code',
      signatureScheme: 'timestamped',
    },
    codes: {
      notDenied: 'KYC_NOT_DENIED',
      retryLimit: 'KYC_RETRY_LIMIT_EXCEEDED',
      keyReused: 'IDEMPOTENCY_KEY_REUSED',
    },
  },
  {
    name: 'bare 400s, pages capped at 50 without total, Standard Webhooks',
    options: {
      retryRefusal: 'bare-400',
      keyReuseRefusal: 'bare-400',
      pageLimitCap: 50,
      omitTotal: true,
      signatureScheme: 'standard-webhooks',
    },
    codes: {},
  },
  {
    name: 'generic codes, pages capped at 50 with total, svix headers',
    options: { pageLimitCap: 50, signatureScheme: 'svix' },
    codes: { notDenied: 'BAD_REQUEST', retryLimit: 'BAD_REQUEST', keyReused: 'BAD_REQUEST' },
  },
];
