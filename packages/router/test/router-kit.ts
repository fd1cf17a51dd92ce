/** Fakes with their own ids, wrapped like every adapter is (qualified refs), for router tests. */
import * as E from 'fp-ts/Either';
import { kycError, withQualifiedRefs } from '@kycport/core';
import type { CreateUserInput, KycError, KycResult, ProviderId } from '@kycport/core';
import { createFakeKycProvider } from '@kycport/testing';
import type { FakeKycProvider } from '@kycport/testing';

export interface RoutedFake {
  readonly fake: FakeKycProvider;
  readonly provider: FakeKycProvider;
}

export function routedFakes(ids: ReadonlyArray<string>): Partial<Record<string, RoutedFake>> {
  return Object.fromEntries(
    ids.map((id) => {
      const fake = createFakeKycProvider({ id, webhookSecret: `whsec_${id}` });
      return [id, { fake, provider: withQualifiedRefs(fake) }];
    }),
  );
}

export function applicantInput(externalId: string, country = 'DE', nationality = 'DE'): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Ada', family: 'Lovelace' },
      email: 'ada@example.com',
      termsAccepted: true,
      nationality,
      address: { line1: 'Main 1', city: 'Berlin', postalCode: '10115', country },
    },
  };
}

export function unreachable(provider: ProviderId): KycError {
  return kycError('network', {
    provider,
    message: `${provider}: connection refused`,
    providerCode: 'ECONNREFUSED',
    retryable: true,
    outcome: 'not_sent',
  });
}

export function right<A>(either: E.Either<KycError, A>): A {
  if (E.isLeft(either)) throw new Error(`expected a result, got ${either.left.kind}: ${either.left.message}`);
  return either.right;
}

export function left<A>(either: E.Either<KycError, A>): KycError {
  if (E.isRight(either)) throw new Error('expected an error');
  return either.left;
}

export type { KycResult };
