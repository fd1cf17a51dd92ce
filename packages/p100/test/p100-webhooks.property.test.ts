/**
 * Property tests (issue 11): the P100 webhook parser answers any request (any header map, any
 * body, no request at all) and any JSON behind a valid token with a `Right` or a typed `Left`,
 * never a throw or a rejection; an accepted event names a usable user reference, has a stable
 * dedupe key, and says that key is `weak`.
 */
import * as fc from 'fast-check';
import { UserRefCodec, isKycError } from '@kycport/core';
import type { KycError, KycEvent } from '@kycport/core';
import { createP100WebhookHandler } from '../src';
import { WEBHOOK_TOKEN } from './support';

const handler = createP100WebhookHandler(WEBHOOK_TOKEN);
const hostileText = fc.string({ unit: 'binary' });
const anything = fc.oneof(fc.anything(), hostileText, fc.object({ values: [hostileText, fc.anything()] }));

const headerValue = fc.oneof(
  hostileText,
  fc.array(hostileText, { maxLength: 3 }),
  fc.constant(null),
  fc.constant(undefined),
  anything,
);
const headers = fc.oneof(
  anything,
  fc.dictionary(fc.oneof(hostileText, fc.constantFrom('authorization', 'Authorization')), headerValue),
);
const rawBody = fc.oneof(
  anything,
  hostileText,
  fc.uint8Array(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
);

/** Bodies shaped like P100's user and KYC webhooks, with arbitrary values. */
const shapedBody = fc
  .record(
    {
      externalUserId: fc.oneof(hostileText, fc.jsonValue()),
      verificationStatus: fc.oneof(fc.constantFrom('NOT_VERIFIED', 'VERIFIED', 'EXPIRED'), fc.jsonValue()),
      attemptStatus: fc.oneof(
        fc.constantFrom('PENDING', 'REJECTED_BY_PROVIDER'),
        hostileText,
        fc.jsonValue(),
      ),
      rejectionReason: fc.oneof(hostileText, fc.jsonValue()),
      status: fc.oneof(fc.constantFrom('ADDED', 'ERROR', 'WAITING', 'ACTIVE'), hostileText, fc.jsonValue()),
      event_type: hostileText,
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));
const authentic = fc.oneof(fc.constant(WEBHOOK_TOKEN), fc.constant(`Bearer ${WEBHOOK_TOKEN}`));

type Parsed = { _tag: 'Left'; left: KycError } | { _tag: 'Right'; right: KycEvent };

function expectTyped(result: Parsed): void {
  if (result._tag === 'Left') {
    expect(isKycError(result.left)).toBe(true);
    expect(['webhook_rejected', 'config']).toContain(result.left.kind);
    return;
  }
  expect(UserRefCodec.is(result.right.userRef)).toBe(true);
  expect(result.right.dedupeKeyStrength).toBe('weak');
  expect(result.right.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
}

describe('property: the P100 webhook parser never throws', () => {
  it('answers any request with a Right or a typed Left', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, fc.record({ headers, rawBody })), async (request) => {
        expectTyped((await handler.parseWebhook(request as never)()) as Parsed);
      }),
    );
  });

  it('answers any JSON behind a valid token with an event or webhook_rejected, the same key each time', async () => {
    await fc.assert(
      fc.asyncProperty(
        authentic,
        fc.oneof(
          shapedBody,
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        fc.boolean(),
        async (authorization, body, asBytes) => {
          const request = {
            headers: { authorization, 'content-type': 'application/json' },
            rawBody: asBytes ? new TextEncoder().encode(body) : body,
          };
          const first = (await handler.parseWebhook(request)()) as Parsed;
          expectTyped(first);
          const again = (await handler.parseWebhook({ ...request, rawBody: body })()) as Parsed;
          if (first._tag === 'Right' && again._tag === 'Right') {
            expect(again.right.dedupeKey).toBe(first.right.dedupeKey);
          }
        },
      ),
    );
  });
});
