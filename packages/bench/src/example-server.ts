/**
 * A loopback HTTP server answering each provider's documented example responses (static: the
 * benchmark measures the client, not a simulator's state machine). Run in a child process so the
 * server does not share the client's event loop.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PlaidExamples {
  examples: Record<string, unknown>;
}

const plaid = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'plaid-examples.json'), 'utf8'),
) as PlaidExamples;
const plaidList = plaid.examples['/identity_verification/list'] as {
  identity_verifications: Array<{ client_user_id: string; status: string }>;
};
// The list example's attempt belongs to `your-db-id-3b24110`; the benchmark reads that user.

// Plu: documented examples (docs.getplu.com list-users and retry-kyc pages).
const pluUsers = {
  status: 'success',
  message: 'success',
  data: {
    users: [
      {
        serviceId: 'acme-user-abc123',
        email: 'jane@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
        status: 'approved',
        program: 'custodial',
        createdAt: '2025-01-15T10:30:00.000Z',
      },
      {
        serviceId: 'acme-user-def456',
        email: 'john@example.com',
        firstName: 'John',
        lastName: 'Smith',
        status: 'pending_kyc',
        program: 'custodial',
        createdAt: '2025-01-16T14:00:00.000Z',
      },
    ],
    pagination: { skip: 0, limit: 10, total: 2 },
  },
};
const pluRetry = {
  status: 'success',
  message: 'KYC retry initiated successfully',
  data: { serviceId: 'acme-user-abc123', applicationStatus: 'pending', retryCount: 1 },
};

// P100: documented examples (partner-api-docs.p100.io get-kyc-status; /v1/kyc's response is undocumented).
const p100Status = { status: 'NOT_VERIFIED', attemptStatus: 'PENDING' };
const p100Kyc = { verificationId: 'bench-verification-1' };

// The bench generates the webhook signing key and hands the public half over in the environment.
const plaidKey = process.env.BENCH_PLAID_JWK
  ? (JSON.parse(process.env.BENCH_PLAID_JWK) as unknown)
  : undefined;

const routes: Record<string, string> = {
  'POST /webhook_verification_key/get': JSON.stringify({ key: plaidKey, request_id: 'bench-key-request' }),
  'POST /identity_verification/retry': JSON.stringify(plaid.examples['/identity_verification/retry']),
  'POST /identity_verification/get': JSON.stringify(plaid.examples['/identity_verification/get']),
  'POST /identity_verification/list': JSON.stringify({ ...plaidList, next_cursor: null }),
  'GET /api/v1/partner/card/users': JSON.stringify(pluUsers),
  'POST /api/v2/partner/card/users/acme-user-abc123/retry-kyc': JSON.stringify(pluRetry),
  'GET /v1/kyc/status/bench-user-1': JSON.stringify(p100Status),
  'POST /v1/kyc': JSON.stringify(p100Kyc),
};

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  const body = routes[`${request.method} ${path}`];
  request.resume();
  request.on('end', () => {
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{}');
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
