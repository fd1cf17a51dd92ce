/**
 * The bare calls kycport's own overhead is measured against: axios on kycport's lean adapter, set up
 * as the transport sets it up (keep-alive agents, no redirects, text answers parsed as JSON), sending
 * exactly the requests each adapter operation sends (recorded from the adapters against the example
 * server: same method, path, query, headers and body), with none of kycport's validation, decoding,
 * error mapping, retries or observer.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import { createLeanAxiosAdapter } from '@kycport/http';
import { PLAID_RETRY_BODY } from './baseline-clients';
import type { Call } from './baseline-clients';

/** The bare lean-axios clients, by name: the baseline of kycport's own overhead on each wire. */
export const LEAN_BARE_CLIENTS = {
  'axios (lean adapter)': 'plaid',
  'axios (lean adapter), plu wire': 'plu',
  'axios (lean adapter), p100 wire': 'p100',
} as const;

/** The wires a lean bare client can speak. */
export type LeanWire = 'plaid' | 'plu' | 'p100';

function leanAxios(
  baseURL: string,
  headers: Record<string, string>,
): { instance: AxiosInstance; close(): void } {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const instance = axios.create({
    baseURL,
    adapter: createLeanAxiosAdapter(agents),
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    headers: { Accept: 'application/json', 'User-Agent': 'bench', ...headers },
  });
  return {
    instance,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Sends one request and parses its JSON answer; a non-2xx answer throws (counted as a failure). */
async function json(
  instance: AxiosInstance,
  config: Parameters<AxiosInstance['request']>[0],
): Promise<unknown> {
  const response = await instance.request<string>(config);
  if (response.status < 200 || response.status > 299) throw new Error(`HTTP ${response.status}`);
  return JSON.parse(response.data) as unknown;
}

const PLAID_LIST_BODY = { template_id: 'idvtmp_4FrXJvfQU3zGUR', client_user_id: 'your-db-id-3b24110' };

const P100_KYC_BODY = {
  externalUserId: 'bench-user-1',
  documentType: 'ID_CARD',
  country: 'PL',
  incomeSource: 'SALARY',
  openAccountReason: 'DAILY_USE',
  occupation: 'IT',
  additionalInfo: 'engineer',
};

/** Bare lean-axios calls for one wire, named by the operation they stand for. */
export function leanBareCalls(
  wire: LeanWire,
  baseUrl: string,
): { calls: Record<string, Call>; close(): void } {
  switch (wire) {
    case 'plaid': {
      const headers = {
        'PLAID-CLIENT-ID': 'bench-client',
        'PLAID-SECRET': 'bench-secret',
        'Plaid-Version': '2020-09-14',
      };
      const { instance, close } = leanAxios(baseUrl, headers);
      const body = JSON.parse(PLAID_RETRY_BODY) as unknown;
      return {
        calls: {
          'retry (plaid wire)': () =>
            json(instance, { method: 'POST', url: '/identity_verification/retry', data: body }),
          // getStatus lists the user's attempts (one page on the example server), as the adapter does.
          'getStatus (plaid wire)': () =>
            json(instance, { method: 'POST', url: '/identity_verification/list', data: PLAID_LIST_BODY }),
        },
        close,
      };
    }
    case 'plu': {
      const { instance, close } = leanAxios(`${baseUrl}/api`, {
        Authorization: 'Bearer sk_staging_bench_key',
      });
      return {
        calls: {
          'getStatus (plu wire)': () =>
            json(instance, { method: 'GET', url: '/v1/partner/card/users', params: { skip: 0, limit: 100 } }),
          'retry (plu wire)': () =>
            json(instance, {
              method: 'POST',
              url: '/v2/partner/card/users/acme-user-abc123/retry-kyc',
              headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
            }),
        },
        close,
      };
    }
    case 'p100': {
      const { instance, close } = leanAxios(baseUrl, { 'x-api-key': 'p100-bench-key' });
      const status = () => json(instance, { method: 'GET', url: '/v1/kyc/status/bench-user-1' });
      return {
        calls: {
          'getStatus (p100 wire)': status,
          // P100's retry reads the status first, then starts the verification (as the adapter does).
          'retry (p100 wire)': async () => {
            await status();
            return json(instance, { method: 'POST', url: '/v1/kyc', data: P100_KYC_BODY });
          },
        },
        close,
      };
    }
  }
}
