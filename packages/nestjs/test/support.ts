/** Helpers of the Nest tests (not a test file): a store that can go away, an applicant, a Nest app. */
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { CreateUserInput, KycStore } from '@kycport/core';

/** A real store wrapper whose every call fails while `down` (a dropped database connection). */
export function faultyStore(inner: KycStore) {
  const control = { down: false, applies: 0 };
  const guard = <A>(call: () => Promise<A>): Promise<A> =>
    control.down ? Promise.reject(new Error('connection refused (db.internal:5432)')) : call();
  const store: KycStore = {
    get: (ref) => guard(() => inner.get(ref)),
    apply: (input) => guard(() => ((control.applies += 1), inner.apply(input))),
    markProcessed: (key, now) => guard(() => inner.markProcessed(key, now)),
    claimOutbox: (claim) => guard(() => inner.claimOutbox(claim)),
    completeOutbox: (id) => guard(() => inner.completeOutbox(id)),
    failOutbox: (id, at) => guard(() => inner.failOutbox(id, at)),
    claimStaleUsers: (claim) => guard(() => inner.claimStaleUsers(claim)),
  };
  return { store, control };
}

/** A Plu applicant. */
export function applicant(externalId: string): CreateUserInput {
  return {
    applicant: {
      externalId,
      name: { given: 'Jane', family: 'Doe' },
      email: `${externalId}@example.com`,
      phone: '+14155555555',
      dateOfBirth: '1990-05-15',
      address: {
        line1: '123 Main Street',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      nationality: 'US',
      ipAddress: '203.0.113.42',
      termsAccepted: true,
    },
    providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
  };
}

/** A Nest app around `root`, listening on 127.0.0.1:0; `rawBody` as the host chose. */
export async function listen(
  root: unknown,
  rawBody: boolean,
): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(root as never, { rawBody, logger: false });
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${address.port}` };
}

/** POSTs bytes with headers; the status and JSON body. */
export async function post(
  url: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
): Promise<{ status: number; body: { outcome?: string; message?: string } }> {
  const sent: Record<string, string> = { 'content-type': 'application/json' };
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !['content-length', 'host', 'connection'].includes(name))
      sent[name] = value;
  }
  const response = await fetch(url, { method: 'POST', headers: sent, body });
  return { status: response.status, body: (await response.json()) as { outcome?: string } };
}
