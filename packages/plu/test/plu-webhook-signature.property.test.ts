/**
 * Properties of the signature schemes (issue 12): any headers of every scheme (hostile values,
 * arrays, nulls, huge lists) and any body give a typed answer, never a throw, and never an event
 * without a valid signature; a delivery validly signed by any scheme, with any body, id and time
 * within the tolerance, is authentic; one byte changed in the body, or a time outside the
 * tolerance, is refused. Signatures computed with node:crypto, never with the adapter's code.
 */
import { createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { isKycError } from '@kycport/core';
import type { WebhookRequest } from '@kycport/core';
import {
  checkPluWebhookSignature,
  createPluWebhookHandler,
  pluStandardWebhookKey,
  verifyPluWebhookSignature,
} from '../src';
import { anything, hostileText } from './plu-property-support';
import { cleanNockAfterEach } from './plu-test-support';

cleanNockAfterEach();

const KEY = Buffer.from('kycport-plu-property-key', 'utf8');
const SECRET = `whsec_${KEY.toString('base64')}`;
const NOW_MS = Date.parse('2026-05-01T10:00:00.000Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const handler = createPluWebhookHandler(SECRET, { now: () => NOW_MS });

const SCHEME_HEADERS = [
  'x-webhook-signature',
  'X-Webhook-Signature',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'plu-signature',
  'Persona-Signature',
];
const signatureLike = fc.oneof(
  hostileText,
  fc.constantFrom('v1,', 'v1,abc', 't=1,v1=ab', 't=,v1=', 'v1=', 't=99999999999999999999', ' ', ','),
  fc
    .array(fc.constantFrom('v1,AAAA', 't=1,v1=00', 'v1a,x'), { maxLength: 60 })
    .map((parts) => parts.join(' ')),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.integer().map(String),
);
const headerValue = fc.oneof(
  signatureLike,
  fc.array(fc.oneof(signatureLike, fc.constant(null)), { maxLength: 3 }),
  fc.constantFrom(null, undefined),
  anything,
);
const headers = fc.oneof(
  fc.dictionary(fc.oneof(fc.constantFrom(...SCHEME_HEADERS), hostileText), headerValue),
  anything,
);
const bodies = fc.oneof(hostileText, fc.json(), fc.uint8Array({ maxLength: 64 }), anything);

const hmac = (key: string | Buffer, payload: string, encoding: 'hex' | 'base64') =>
  createHmac('sha256', key).update(payload, 'utf8').digest(encoding);

type Scheme = 'documented' | 'webhook' | 'svix' | 'timestamped';
function sign(scheme: Scheme, body: string, id: string, at: number): Record<string, string> {
  switch (scheme) {
    case 'documented':
      return { 'X-Webhook-Signature': hmac(SECRET, body, 'hex') };
    case 'webhook':
    case 'svix':
      return {
        [`${scheme}-id`]: id,
        [`${scheme}-timestamp`]: String(at),
        [`${scheme}-signature`]: `v1,${hmac(KEY, `${id}.${at}.${body}`, 'base64')}`,
      };
    case 'timestamped':
      return { 'Plu-Signature': `t=${at},v1=${hmac(SECRET, `${at}.${body}`, 'hex')}` };
  }
}
const schemes = fc.constantFrom<Scheme>('documented', 'webhook', 'svix', 'timestamped');
const ids = fc.stringMatching(/^msg_[A-Za-z0-9]{1,24}$/);
const kycBody = fc
  .record({
    serviceId: fc.stringMatching(/^acme-user-[A-Za-z0-9]{1,15}$/),
    status: fc.constantFrom('approved', 'denied'),
  })
  .map((data) => JSON.stringify({ event: 'user.kyc-event', timestamp: '2026-05-01T10:00:00.000Z', data }));

describe('property: signature schemes', () => {
  it('any headers of any scheme and any body: a typed answer, never a throw, never an event', async () => {
    await fc.assert(
      fc.asyncProperty(headers, bodies, async (anyHeaders, rawBody) => {
        const request = { headers: anyHeaders, rawBody } as unknown as WebhookRequest;
        const result = await handler.parseWebhook(request)();
        if (E.isLeft(result)) {
          expect(isKycError(result.left)).toBe(true);
          expect(['webhook_rejected', 'config']).toContain(result.left.kind);
        }
        expect(E.isLeft(result)).toBe(true);
        expect(verifyPluWebhookSignature(request, SECRET, { now: () => NOW_MS })).toBe(false);
      }),
    );
  });

  it('any secret: the Standard Webhooks key reader answers, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileText,
          fc.base64String().map((text) => `whsec_${text}`),
        ),
        (secret) => {
          const key = pluStandardWebhookKey(secret);
          expect(key === undefined || key.length > 0).toBe(true);
        },
      ),
    );
  });

  it('validly signed by any scheme, any body, id and time within 5 minutes: authentic', async () => {
    await fc.assert(
      fc.asyncProperty(
        schemes,
        fc.oneof(kycBody, fc.string()),
        ids,
        fc.integer({ min: -300, max: 300 }),
        async (scheme, body, id, skew) => {
          const signed = sign(scheme, body, id, NOW_S + skew);
          expect(checkPluWebhookSignature(signed, body, SECRET, { now: () => NOW_MS })).toEqual(
            E.right([expect.any(String)]),
          );
        },
      ),
    );
  });

  it('a changed body or a time outside the tolerance: refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        schemes,
        kycBody,
        ids,
        fc.integer({ min: 301, max: 100_000 }),
        fc.boolean(),
        async (scheme, body, id, skew, early) => {
          const changed = body.replace('user.kyc-event', 'user.kyc-evenT');
          expect(
            E.isLeft(
              checkPluWebhookSignature(sign(scheme, body, id, NOW_S), changed, SECRET, { now: () => NOW_MS }),
            ),
          ).toBe(true);
          // The documented scheme carries no time.
          if (scheme === 'documented') return;
          const late = sign(scheme, body, id, NOW_S + (early ? -skew : skew));
          expect(E.isLeft(checkPluWebhookSignature(late, body, SECRET, { now: () => NOW_MS }))).toBe(true);
        },
      ),
    );
  });
});
