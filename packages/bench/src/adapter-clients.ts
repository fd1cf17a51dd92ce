/** The kycport adapters pointed at the example server, through the port (TaskEither) and the Promise facade. */
import { toPromiseProvider, userRef } from '@kycport/core';
import type { KycProvider, RetryOptions, UserRef } from '@kycport/core';
import { createP100Provider } from '@kycport/p100';
import { createPlaidProvider } from '@kycport/plaid';
import { createPluProvider } from '@kycport/plu';
import type { Call } from './baseline-clients';

export type AdapterId = 'plu' | 'p100' | 'plaid';

/** kycport/plaid on axios's stock adapter (`httpAdapter: 'axios'`), next to the default lean one. */
export const STOCK_ADAPTER_CLIENT = 'kycport/plaid (stock axios adapter)';

export interface AdapterUnderTest {
  readonly provider: KycProvider & { close(): void };
  readonly ref: UserRef;
  readonly retryOptions: RetryOptions;
}

/** `httpAdapter`: the transport's axios adapter, kycport's lean one (default) or axios's stock one. */
export function adapterUnderTest(
  id: AdapterId,
  baseUrl: string,
  httpAdapter: 'lean' | 'axios' = 'lean',
): AdapterUnderTest {
  const dependencies = { transport: { httpAdapter } };
  switch (id) {
    case 'plu':
      return {
        provider: createPluProvider(
          {
            apiKey: 'sk_staging_bench_key',
            baseUrl: `${baseUrl}/api`,
            webhookSecret: 'whsec_bench',
          },
          dependencies,
        ),
        ref: userRef('acme-user-abc123'),
        retryOptions: { strategy: { kind: 'auto' } },
      };
    case 'p100':
      return {
        provider: createP100Provider(
          { apiKey: 'p100-bench-key', baseUrl, webhookToken: 'p100-bench-token' },
          dependencies,
        ),
        ref: userRef('bench-user-1'),
        retryOptions: {
          strategy: { kind: 'auto' },
          providerOptions: {
            p100: {
              documentType: 'ID_CARD',
              country: 'PL',
              incomeSource: 'SALARY',
              occupation: 'IT',
              additionalInfo: 'engineer',
              openAccountReason: 'DAILY_USE',
              // The example server's status read is P100's documented example (NOT_VERIFIED/PENDING):
              // retry refuses to replace a pending attempt unless asked (issue 12).
              replacePendingAttempt: true,
            },
          },
        },
      };
    case 'plaid':
      return {
        provider: createPlaidProvider(
          {
            clientId: 'bench-client',
            secret: 'bench-secret',
            baseUrl,
            templateId: 'idvtmp_4FrXJvfQU3zGUR',
          },
          dependencies,
        ),
        ref: userRef('your-db-id-3b24110'),
        // Without the state look-up, one retry is one /retry call, like plaid-node's.
        retryOptions: {
          strategy: { kind: 'restart' },
          providerOptions: { plaid: { checkStateFirst: false } },
        },
      };
  }
}

/** Throws on a Left so a failing call counts as a failure in the load run. */
export function adapterCalls(subject: AdapterUnderTest): Record<string, Call> {
  const { provider, ref, retryOptions } = subject;
  const facade = toPromiseProvider(provider);
  const unwrap = async (task: () => Promise<{ _tag: 'Left' | 'Right' }>): Promise<unknown> => {
    const result = await task();
    if (result._tag === 'Left') throw new Error('call failed');
    return result;
  };
  return {
    'getStatus (TaskEither)': () => unwrap(provider.getStatus(ref)),
    'getStatus (Promise)': () => facade.getStatus(ref),
    'retry (TaskEither)': () => unwrap(provider.retry(ref, retryOptions)),
    'retry (Promise)': () => facade.retry(ref, retryOptions),
  };
}
