/** Shared test helpers: fixtures, a provider on nock, the documented applicant, error bodies, signing. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { formatUserRef } from '@kycport/core';
import type { CreateUserInput, UserRef, WebhookRequest } from '@kycport/core';
import { countingObserver } from '@kycport/testing';
import { PLU_BASE_URLS, PLU_PROVIDER_ID, createPluProvider, signPluWebhook } from '../src';
import type { PluConfig, PluProviderDependencies } from '../src';

export const API_KEY = 'sk_staging_test_key_5f3c9a';
export const WEBHOOK_SECRET = 'whsec_test_secret_9d2e71';
export const BASE_URL = PLU_BASE_URLS.staging;
export const BASE_PATH = '/api';

/** Reads a JSON fixture from test/fixtures (see its README for sources). */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** A fixture as a nock request body matcher (exact JSON match). */
export function bodyFixture(name: string): nock.DataMatcherMap {
  return fixture(name) as nock.DataMatcherMap;
}

/** Plu's documented error envelope with `message` set to a code. */
export function errorBody(code: string): Record<string, unknown> {
  return { ...fixture('error-envelope'), message: code };
}

/** The create-user page's applicant, in neutral form. */
export const validInput: CreateUserInput = {
  applicant: {
    externalId: 'host-user-42',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane.doe@example.com',
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

/** The ref a host stores for a Plu user: `plu:<serviceId>` (what results, errors and events carry). */
export function pluRef(serviceId: string): UserRef {
  return formatUserRef(PLU_PROVIDER_ID, serviceId);
}

/** No waiting between transport retries. */
export const noSleep = async (): Promise<void> => undefined;

export function buildProvider(config: Partial<PluConfig> = {}, dependencies: PluProviderDependencies = {}) {
  const observer = countingObserver();
  const provider = createPluProvider(
    { apiKey: API_KEY, environment: 'staging', webhookSecret: WEBHOOK_SECRET, ...config },
    { observer, transport: { sleep: noSleep, random: () => 0 }, ...dependencies },
  );
  return { provider, observer };
}

/** Drops unused interceptors after each test (the jest setup restores nock after each file). */
export function cleanNockAfterEach(): void {
  afterEach(() => {
    nock.cleanAll();
  });
}

export function plu(): nock.Scope {
  return nock(new URL(BASE_URL).origin);
}

export function listPage(
  users: ReadonlyArray<Record<string, unknown>>,
  skip: number,
  total: number,
): Record<string, unknown> {
  return { status: 'success', message: 'success', data: { users, pagination: { skip, limit: 100, total } } };
}

export function listedUser(
  serviceId: string,
  status: string,
  email = `${serviceId}@example.com`,
): Record<string, unknown> {
  return {
    serviceId,
    email,
    firstName: 'Someone',
    lastName: 'Else',
    status,
    program: 'custodial',
    createdAt: '2025-01-15T10:30:00.000Z',
  };
}

/** A delivery signed over its raw body, as the webhook handler expects. */
export function signedDelivery(body: unknown, secret = WEBHOOK_SECRET): WebhookRequest {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    headers: { 'content-type': 'application/json', 'X-Webhook-Signature': signPluWebhook(rawBody, secret) },
    rawBody,
  };
}
