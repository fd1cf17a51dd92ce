import * as E from 'fp-ts/Either';
import { missingWebhookSecret } from '@kycport/core';
import type { KycEvent, WebhookRequest } from '@kycport/core';
import { createP100WebhookHandler, isAuthenticP100Token, p100DedupeKey } from '../src';
import kycStatusFixture from './fixtures/webhook-kyc-verification-status.json';
import fileAddedFixture from './fixtures/webhook-kyc-file-added.json';
import userStatusFixture from './fixtures/webhook-user-status.json';
import { WEBHOOK_TOKEN } from './support';

const handler = createP100WebhookHandler(WEBHOOK_TOKEN);

/** `authorization: null` sends no Authorization header. */
function delivery(body: unknown, authorization: string | null = WEBHOOK_TOKEN): WebhookRequest {
  return {
    headers: {
      'content-type': 'application/json',
      ...(authorization === null ? {} : { Authorization: authorization }),
    },
    rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

async function accept(request: WebhookRequest): Promise<KycEvent> {
  const result = await handler.parseWebhook(request)();
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}

async function reject(request: WebhookRequest): Promise<string> {
  const result = await handler.parseWebhook(request)();
  if (result._tag === 'Right') throw new Error('expected webhook_rejected');
  expect([result.left.kind, result.left.retryable]).toEqual(['webhook_rejected', false]);
  expect(JSON.stringify(result.left)).not.toContain(WEBHOOK_TOKEN);
  return result.left.message;
}

describe('P100 webhook authenticity', () => {
  it('accepts the token raw and as Bearer <token>, with any header casing', async () => {
    await accept(delivery(kycStatusFixture, WEBHOOK_TOKEN));
    await accept(delivery(kycStatusFixture, `Bearer ${WEBHOOK_TOKEN}`));
    await accept({
      headers: { authorization: `bearer ${WEBHOOK_TOKEN}` },
      rawBody: new TextEncoder().encode(JSON.stringify(kycStatusFixture)),
    });
  });

  it('rejects a missing, empty, wrong, truncated or padded token', async () => {
    expect(await reject(delivery(kycStatusFixture, null))).toContain('missing Authorization');
    await reject(delivery(kycStatusFixture, ''));
    await reject(delivery(kycStatusFixture, 'wrong-token'));
    await reject(delivery(kycStatusFixture, WEBHOOK_TOKEN.slice(0, -1)));
    await reject(delivery(kycStatusFixture, `Bearer ${WEBHOOK_TOKEN}x`));
    await reject(delivery(kycStatusFixture, 'Bearer '));
  });

  it('answers every webhook with a config error (missingWebhookSecret) when no webhook token is configured', async () => {
    const unconfigured = createP100WebhookHandler(undefined);
    const result = await unconfigured.parseWebhook(delivery(kycStatusFixture))();
    expect(result).toEqual(E.left(missingWebhookSecret('p100', 'webhookToken')));
    expect(result._tag === 'Left' && [result.left.kind, result.left.retryable]).toEqual(['config', false]);
  });

  it('compares without throwing on length differences', () => {
    expect(isAuthenticP100Token('a', 'a-much-longer-token')).toBe(false);
    expect(isAuthenticP100Token(undefined, 'token')).toBe(false);
  });

  it('checks the token before parsing: a forged delivery of a malformed body is rejected for the token', async () => {
    expect(await reject(delivery('not json', 'forged'))).toContain('does not match');
  });
});

describe('P100 webhook parsing', () => {
  it('turns the KYC Verification Status webhook into an event carrying the state', async () => {
    const event = await accept(delivery(kycStatusFixture));
    expect(event).toMatchObject({
      provider: 'p100',
      type: 'kyc.verification_status',
      userRef: kycStatusFixture.externalUserId,
      stateIncluded: true,
      state: {
        status: 'denied',
        providerStatus: 'NOT_VERIFIED/REJECTED_BY_PROVIDER',
        reasonCodes: ['NO_FACE_FOUND'],
      },
    });
  });

  it.each([
    [fileAddedFixture, 'kyc.file_added', 'ADDED'],
    [{ externalUserId: 'u-1', status: 'ERROR' }, 'kyc.file_added', 'ERROR'],
    [{ externalUserId: 'u-1', status: 'WAITING' }, 'poa.verification_status', 'WAITING'],
    [{ externalUserId: 'u-1', status: 'APPROVED' }, 'poa.verification_status', 'APPROVED'],
    [{ externalUserId: 'u-1', status: 'REJECTED' }, 'poa.verification_status', 'REJECTED'],
    [{ externalUserId: 'u-1', status: 'QUESTIONED' }, 'poa.verification_status', 'QUESTIONED'],
    [userStatusFixture, 'user.status', 'ACTIVE'],
    [{ externalUserId: 'u-1', status: 'SOMETHING_NEW' }, 'user.status', 'SOMETHING_NEW'],
  ])('routes %j by shape to %s without state, with the status as detail', async (body, type, detail) => {
    const event = await accept(delivery(body));
    expect(event).toMatchObject({ type, stateIncluded: false, detail, userRef: body.externalUserId });
  });

  it('gives re-deliveries the same dedupe key and different events different keys', async () => {
    const first = await accept(delivery(kycStatusFixture));
    const again = await accept(delivery(JSON.stringify(kycStatusFixture, null, 2)));
    const reordered = await accept(
      delivery({
        rejectionReason: 'NO_FACE_FOUND',
        attemptStatus: 'REJECTED_BY_PROVIDER',
        verificationStatus: 'NOT_VERIFIED',
        externalUserId: kycStatusFixture.externalUserId,
      }),
    );
    const other = await accept(
      delivery({ ...kycStatusFixture, attemptStatus: 'PENDING', rejectionReason: undefined }),
    );
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(reordered.dedupeKey).toBe(first.dedupeKey);
    expect(other.dedupeKey).not.toBe(first.dedupeKey);
    expect(first.dedupeKey).toBe(
      p100DedupeKey('kyc.verification_status', [
        kycStatusFixture.externalUserId,
        'NOT_VERIFIED',
        'REJECTED_BY_PROVIDER',
        'NO_FACE_FOUND',
      ]),
    );
    expect(first.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['not JSON', 'not json'],
    ['a JSON array', '[]'],
    ['no externalUserId', { status: 'ADDED' }],
    ['a blank externalUserId', { externalUserId: ' ', status: 'ADDED' }],
    ['a non-string verificationStatus', { externalUserId: 'u', verificationStatus: 1 }],
    [
      'a payments envelope',
      { event_type: 'crypto_deposit.status_changed', data: { cryptoDepositId: 'dep_123' } },
    ],
  ])('rejects an authentic delivery with %s as webhook_rejected', async (_name, body) => {
    await reject(delivery(body));
  });
});

describe('P100 webhook dedupe key strength (issue 11)', () => {
  it('gives two genuine denials (attempts 1 and 2) the same key, and marks every event weak', async () => {
    // P100's payload carries no attempt, time or event id: the two denials are byte-for-byte alike.
    const firstDenial = await accept(delivery(kycStatusFixture));
    const secondDenial = await accept(delivery(kycStatusFixture));
    expect(secondDenial.dedupeKey).toBe(firstDenial.dedupeKey);
    for (const body of [
      kycStatusFixture,
      fileAddedFixture,
      userStatusFixture,
      { externalUserId: 'u-1', status: 'WAITING' },
    ]) {
      expect((await accept(delivery(body))).dedupeKeyStrength).toBe('weak');
    }
  });
});

describe('P100 webhook robustness (issue 11)', () => {
  it('answers a body already parsed by a JSON body parser with a config error naming rawBody', async () => {
    const result = await handler.parseWebhook({
      ...delivery(kycStatusFixture),
      rawBody: kycStatusFixture as never,
    })();
    expect(
      result._tag === 'Left' && [
        result.left.kind,
        result.left.kind === 'config' && result.left.issues[0]?.path,
      ],
    ).toEqual(['config', 'rawBody']);
  });

  it.each([
    ['a missing body', { headers: { authorization: WEBHOOK_TOKEN } }],
    ['a null body', { headers: { authorization: WEBHOOK_TOKEN }, rawBody: null }],
    ['null header values', { headers: { authorization: null, 'content-type': null }, rawBody: '{}' }],
    ['a null header map', { headers: null, rawBody: '{}' }],
    ['no request at all', null],
    ['a string request', 'POST /webhooks'],
  ])('answers %s with a typed error, never a throw', async (_name, request) => {
    const result = await handler.parseWebhook(request as never)();
    expect(result._tag === 'Left' && result.left.kind).toBe('webhook_rejected');
  });

  it('rejects an externalUserId that is not a usable user reference (lone surrogate)', async () => {
    await reject(delivery('{"externalUserId":"u-\\ud800","status":"ADDED"}'));
    await reject(
      delivery('{"externalUserId":"\\udc00","verificationStatus":"VERIFIED","attemptStatus":"SUCCESSFUL"}'),
    );
  });
});
