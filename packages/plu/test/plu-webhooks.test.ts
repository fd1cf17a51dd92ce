import * as E from 'fp-ts/Either';
import { createHmac } from 'node:crypto';
import { missingWebhookSecret } from '@kycport/core';
import type { KycEvent } from '@kycport/core';
import { createPluWebhookHandler, isPluKycEventType, verifyPluWebhookSignature } from '../src';
import { WEBHOOK_SECRET, fixture, cleanNockAfterEach, signedDelivery } from './plu-test-support';

cleanNockAfterEach();

const handler = createPluWebhookHandler(WEBHOOK_SECRET);

async function accepted(request: Parameters<typeof handler.parseWebhook>[0]): Promise<KycEvent> {
  const result = await handler.parseWebhook(request)();
  if (E.isLeft(result)) throw new Error(`rejected: ${result.left.message}`);
  return result.right;
}

async function rejectedMessage(request: Parameters<typeof handler.parseWebhook>[0]): Promise<string> {
  const result = await handler.parseWebhook(request)();
  if (E.isRight(result)) throw new Error('expected a rejection');
  expect(result.left).toMatchObject({ kind: 'webhook_rejected', retryable: false });
  return result.left.message;
}

describe('plu webhooks', () => {
  it('parses the documented approved event', async () => {
    const event = await accepted(signedDelivery(fixture('webhook-kyc-approved')));
    expect(event).toMatchObject({
      provider: 'plu',
      type: 'user.kyc-event',
      userRef: 'acme-user-7mFQc5aCslAWtkd',
      occurredAt: '2026-02-19T20:49:29.927Z',
      stateIncluded: true,
      state: { status: 'approved', providerStatus: 'approved', nextAction: { type: 'none' } },
    });
  });

  it('parses the documented denied event with its reason codes split and trimmed', async () => {
    const event = await accepted(signedDelivery(fixture('webhook-kyc-denied')));
    expect(event).toMatchObject({
      state: { status: 'denied', reasonCodes: ['WRONG_USER_REGION', 'REGULATIONS_VIOLATIONS'] },
    });
  });

  it('parses the documented needsVerification event into a redirect to the verification link', async () => {
    const event = await accepted(signedDelivery(fixture('webhook-kyc-needs-verification')));
    expect(event).toMatchObject({
      state: {
        status: 'action_required',
        nextAction: {
          type: 'redirect',
          url: 'https://kyc.getplu.com/verify?userId=e5508685-2771-48fd-8cbc-c8c3e6df9179',
        },
      },
    });
  });

  it('accepts the pre-rename name rain.user-event as an alias', async () => {
    const event = await accepted(
      signedDelivery({ ...fixture('webhook-kyc-approved'), event: 'rain.user-event' }),
    );
    expect(event).toMatchObject({ type: 'rain.user-event', state: { status: 'approved' } });
  });

  it('accepts legacy user.kyc.* names, taking the status from the name when data has none', async () => {
    expect(await accepted(signedDelivery(fixture('webhook-legacy-kyc-approved')))).toMatchObject({
      userRef: 'acme-rain-user-abc123def456ghi',
      state: { status: 'approved' },
    });
    const review = await accepted(
      signedDelivery({
        event: 'user.kyc.manualReview',
        timestamp: '2025-01-15T10:30:00.000Z',
        data: { serviceId: 'acme-user-1' },
      }),
    );
    expect(review).toMatchObject({ state: { status: 'in_review', providerStatus: 'manualReview' } });
  });

  it('keeps an unknown status visible and never approves it', async () => {
    const event = await accepted(
      signedDelivery({
        event: 'user.kyc-event',
        timestamp: '2026-02-19T20:49:29.927Z',
        data: { serviceId: 'acme-user-1', status: 'approvedWithConditions' },
      }),
    );
    expect(event).toMatchObject({ state: { status: 'pending', providerStatus: 'approvedWithConditions' } });
  });

  it('redacts personal data in raw', async () => {
    const event = await accepted(signedDelivery(fixture('webhook-kyc-denied')));
    const raw = JSON.stringify(event.raw);
    expect(raw).not.toContain('jane.doe@example.com');
    expect(raw).not.toContain('DoeDenied');
    expect(raw).toContain('acme-user-yvDaVMdFaug51H4');
  });

  it('accepts a signature computed over the re-serialized JSON (Plu sample) as well as over the raw body', async () => {
    const pretty = JSON.stringify(fixture('webhook-kyc-approved'), null, 2);
    const overCompact = createHmac('sha256', WEBHOOK_SECRET)
      .update(JSON.stringify(JSON.parse(pretty)))
      .digest('hex');
    await expect(
      accepted({ headers: { 'x-webhook-signature': overCompact }, rawBody: pretty }),
    ).resolves.toMatchObject({ userRef: 'acme-user-7mFQc5aCslAWtkd' });
    const overRaw = createHmac('sha256', WEBHOOK_SECRET).update(pretty).digest('hex');
    await expect(
      accepted({ headers: { 'X-Webhook-Signature': overRaw.toUpperCase() }, rawBody: Buffer.from(pretty) }),
    ).resolves.toMatchObject({ stateIncluded: true });
  });

  it('gives re-deliveries the same dedupe key and different events different keys', async () => {
    const first = await accepted(signedDelivery(fixture('webhook-kyc-approved')));
    const again = await accepted(signedDelivery(fixture('webhook-kyc-approved')));
    const later = await accepted(
      signedDelivery({ ...fixture('webhook-kyc-approved'), timestamp: '2026-02-20T08:00:00.000Z' }),
    );
    const denied = await accepted(
      signedDelivery({
        ...fixture('webhook-kyc-approved'),
        data: { serviceId: 'acme-user-7mFQc5aCslAWtkd', status: 'denied' },
      }),
    );
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(first.dedupeKey).toMatch(/^plu:[0-9a-f]{64}$/);
    expect(new Set([first.dedupeKey, later.dedupeKey, denied.dedupeKey]).size).toBe(3);
  });

  it('does not throw on signatures of any length and rejects them', async () => {
    const body = JSON.stringify(fixture('webhook-kyc-approved'));
    for (const signature of ['', 'a', 'ab'.repeat(31), 'ab'.repeat(33), 'é'.repeat(64)]) {
      expect(
        verifyPluWebhookSignature(
          { headers: { 'x-webhook-signature': signature }, rawBody: body },
          WEBHOOK_SECRET,
        ),
      ).toBe(false);
      await rejectedMessage({ headers: { 'x-webhook-signature': signature }, rawBody: body });
    }
  });

  it('rejects a delivery signed with another secret, without leaking either secret', async () => {
    const message = await rejectedMessage(signedDelivery(fixture('webhook-kyc-approved'), 'whsec_other'));
    expect(message).not.toContain(WEBHOOK_SECRET);
    expect(message).not.toContain('whsec_other');
  });

  it('rejects authentic card and wallet events as not KYC events', async () => {
    expect(await rejectedMessage(signedDelivery(fixture('webhook-card-withdrawal')))).toContain(
      'not a KYC event',
    );
    expect(
      await rejectedMessage(
        signedDelivery({ event: 'card.transaction-event', timestamp: 'x', data: { status: 'debit' } }),
      ),
    ).toContain('not a KYC event');
    expect(isPluKycEventType('user.kyc.')).toBe(false);
    expect(isPluKycEventType('rain.transaction-event')).toBe(false);
  });

  it('rejects signed KYC events without a status', async () => {
    expect(
      await rejectedMessage(
        signedDelivery({ event: 'user.kyc-event', timestamp: 'x', data: { serviceId: 'acme-user-1' } }),
      ),
    ).toContain('data.status');
  });

  it('reports a missing webhook secret as a configuration problem', async () => {
    const result = await createPluWebhookHandler(undefined).parseWebhook(
      signedDelivery(fixture('webhook-kyc-approved')),
    )();
    expect(result).toMatchObject({ _tag: 'Left', left: { kind: 'config' } });
    expect(result).toEqual(E.left(missingWebhookSecret('plu', 'webhookSecret')));
  });
});
