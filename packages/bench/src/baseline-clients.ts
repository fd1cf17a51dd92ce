/** The reference clients: node:http with keep-alive (the floor), axios tuned like the transport, axios defaults, plaid-node. */
import * as http from 'node:http';
import axios from 'axios';
import { Configuration, PlaidApi, Strategy } from 'plaid';

export type Call = () => Promise<unknown>;

export const PLAID_RETRY_BODY = JSON.stringify({
  client_user_id: 'your-db-id-3b24110',
  template_id: 'idvtmp_4FrXJvfQU3zGUR',
  strategy: 'reset',
});

export function nodeHttpFloor(baseUrl: string): { call: Call; close(): void } {
  const agent = new http.Agent({ keepAlive: true });
  const target = new URL('/identity_verification/retry', baseUrl);
  const call: Call = () =>
    new Promise((resolve, reject) => {
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(PLAID_RETRY_BODY),
            'PLAID-CLIENT-ID': 'bench-client',
            'PLAID-SECRET': 'bench-secret',
            'Plaid-Version': '2020-09-14',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on('error', reject);
      request.end(PLAID_RETRY_BODY);
    });
  return { call, close: () => agent.destroy() };
}

export function axiosTuned(baseUrl: string): { call: Call; close(): void } {
  const httpAgent = new http.Agent({ keepAlive: true });
  const instance = axios.create({ baseURL: baseUrl, httpAgent, maxRedirects: 0 });
  const body = JSON.parse(PLAID_RETRY_BODY) as unknown;
  const call: Call = () =>
    instance.post('/identity_verification/retry', body, {
      headers: {
        'PLAID-CLIENT-ID': 'bench-client',
        'PLAID-SECRET': 'bench-secret',
        'Plaid-Version': '2020-09-14',
      },
    });
  return { call, close: () => httpAgent.destroy() };
}

export function axiosDefaults(baseUrl: string): { call: Call; close(): void } {
  const body = JSON.parse(PLAID_RETRY_BODY) as unknown;
  const call: Call = () =>
    axios.post(`${baseUrl}/identity_verification/retry`, body, {
      headers: {
        'PLAID-CLIENT-ID': 'bench-client',
        'PLAID-SECRET': 'bench-secret',
        'Plaid-Version': '2020-09-14',
      },
    });
  return { call, close: () => undefined };
}

/** The official SDK, configured as its README shows (it sets no agent, timeout or retries itself). */
export function plaidNode(baseUrl: string): { call: Call; close(): void } {
  const client = new PlaidApi(
    new Configuration({
      basePath: baseUrl,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': 'bench-client', 'PLAID-SECRET': 'bench-secret' } },
    }),
  );
  const call: Call = () =>
    client.identityVerificationRetry({
      client_user_id: 'your-db-id-3b24110',
      template_id: 'idvtmp_4FrXJvfQU3zGUR',
      strategy: Strategy.Reset,
    });
  return { call, close: () => undefined };
}
