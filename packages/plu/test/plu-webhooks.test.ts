import * as E from 'fp-ts/Either';
import { createHmac } from 'node:crypto';
import { missingWebhookSecret } from '@kycport/core';
import type { KycEvent } from '@kycport/core';
import {
  createPluWebhookHandler,
  isPluKycEventType,
  signPluWebhook,
  verifyPluWebhookSignature,
} from '../src';
import type { PluWebhookOptions } from '../src/plu-webhooks';
import {
  WEBHOOK_SECRET,
  buildProvider,
  fixture,
  cleanNockAfterEach,
  signedDelivery,
} from './plu-test-support';

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

function withoutTimestamp(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  delete copy.timestamp;
  return copy;
}

/** The same payload in three byte layouts, each signed over its own raw body (all authentic). */
function layouts(body: unknown): Array<Parameters<typeof handler.parseWebhook>[0]> {
  return [
    JSON.stringify(body),
    JSON.stringify(body, null, 2),
    `\n  ${JSON.stringify(body, null, '\t')}  \n`,
  ].map((rawBody) => ({
    headers: { 'x-webhook-signature': signPluWebhook(rawBody, WEBHOOK_SECRET) },
    rawBody,
  }));
}

describe('plu webhooks: dedupe keys from the verified content (issue 11)', () => {
  it('gives one event the same key whatever its byte layout, and marks a timestamped key exact', async () => {
    const events = await Promise.all(layouts(fixture('webhook-kyc-denied')).map(accepted));
    expect(new Set(events.map((event) => event.dedupeKey)).size).toBe(1);
    expect(events.every((event) => event.dedupeKeyStrength === 'exact')).toBe(true);
  });

  it('gives the same key to an indented body signed over its re-serialization (the sample signs JSON.stringify)', async () => {
    const body = fixture('webhook-kyc-approved');
    const indented = JSON.stringify(body, null, 4);
    const compactSigned = {
      headers: { 'x-webhook-signature': signPluWebhook(JSON.stringify(body), WEBHOOK_SECRET) },
    };
    const viaReserialized = await accepted({ ...compactSigned, rawBody: indented });
    expect(viaReserialized.dedupeKey).toBe((await accepted(signedDelivery(body))).dedupeKey);
  });

  it('without a timestamp: weak, stable across layouts, and different for a different reason', async () => {
    const untimed = withoutTimestamp(fixture('webhook-kyc-denied'));
    const events = await Promise.all(layouts(untimed).map(accepted));
    expect(new Set(events.map((event) => event.dedupeKey)).size).toBe(1);
    expect(events.every((event) => event.dedupeKeyStrength === 'weak')).toBe(true);
    const otherReason = await accepted(
      signedDelivery({ ...untimed, data: { ...(untimed.data as object), reason: 'OTHER_CODE' } }),
    );
    expect(otherReason.dedupeKey).not.toBe(events[0]?.dedupeKey);
  });

  it('a timestamp that is not a time gives a weak key and no occurredAt', async () => {
    const event = await accepted(
      signedDelivery({ ...fixture('webhook-kyc-approved'), timestamp: 'yesterday' }),
    );
    expect(event.dedupeKeyStrength).toBe('weak');
    expect(event.occurredAt).toBeUndefined();
  });
});

describe('plu webhooks: the maximum event age (issue 11)', () => {
  const NOW = Date.parse('2026-02-19T21:00:00.000Z');
  const aged = (options: PluWebhookOptions) =>
    createPluWebhookHandler(WEBHOOK_SECRET, { now: () => NOW, ...options });

  it('is off by default: a signed 2019 event is accepted', async () => {
    const old = { ...fixture('webhook-kyc-approved'), timestamp: '2019-01-01T00:00:00.000Z' };
    expect(await aged({}).parseWebhook(signedDelivery(old))()).toMatchObject({ _tag: 'Right' });
  });

  it('refuses an event older than the limit as webhook_rejected, accepts a younger one', async () => {
    const handlerWithLimit = aged({ maxEventAgeMs: 5 * 60_000 });
    // 2026-02-19T20:49:29.927Z is about 10.5 minutes before NOW.
    const tooOld = await handlerWithLimit.parseWebhook(signedDelivery(fixture('webhook-kyc-approved')))();
    expect(tooOld).toMatchObject({
      _tag: 'Left',
      left: { kind: 'webhook_rejected', retryable: false, providerCode: 'EVENT_TOO_OLD' },
    });
    expect(E.isLeft(tooOld) && tooOld.left.message).toContain('webhookMaxEventAgeMs');
    const fresh = { ...fixture('webhook-kyc-approved'), timestamp: '2026-02-19T20:58:00.000Z' };
    expect(await handlerWithLimit.parseWebhook(signedDelivery(fresh))()).toMatchObject({ _tag: 'Right' });
  });

  it('does not age an event without a readable timestamp', async () => {
    const untimed = withoutTimestamp(fixture('webhook-kyc-approved'));
    expect(await aged({ maxEventAgeMs: 1_000 }).parseWebhook(signedDelivery(untimed))()).toMatchObject({
      _tag: 'Right',
    });
  });

  it('is wired from webhookMaxEventAgeMs with the provider clock', async () => {
    const { provider } = buildProvider({ webhookMaxEventAgeMs: 60_000 }, { now: () => NOW });
    const result = await provider.webhooks.parseWebhook(signedDelivery(fixture('webhook-kyc-approved')))();
    expect(result).toMatchObject({ _tag: 'Left', left: { kind: 'webhook_rejected' } });
  });
});

describe('plu webhooks: odd requests and links (issue 11)', () => {
  it('answers a missing body, a parsed body, null headers and no request at all with a typed error', async () => {
    const signed = signedDelivery(fixture('webhook-kyc-approved'));
    const cases: Array<[unknown, string]> = [
      [{ ...signed, rawBody: undefined }, 'webhook_rejected'],
      [{ ...signed, rawBody: null }, 'webhook_rejected'],
      [{ ...signed, rawBody: fixture('webhook-kyc-approved') }, 'config'],
      [{ ...signed, headers: { 'x-webhook-signature': null } }, 'webhook_rejected'],
      [{ ...signed, headers: null }, 'webhook_rejected'],
      [{ ...signed, headers: { 'x-webhook-signature': [null, 5] } }, 'webhook_rejected'],
      [null, 'webhook_rejected'],
      ['text', 'webhook_rejected'],
    ];
    for (const [request, kind] of cases) {
      const result = await handler.parseWebhook(request as Parameters<typeof handler.parseWebhook>[0])();
      expect(result).toMatchObject({ _tag: 'Left', left: { kind } });
    }
    expect(verifyPluWebhookSignature(null as never, WEBHOOK_SECRET)).toBe(false);
    expect(verifyPluWebhookSignature({ ...signed, rawBody: {} } as never, WEBHOOK_SECRET)).toBe(false);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['plain http elsewhere', 'http://elsewhere.example.com/verify'],
  ])('a %s verificationLink is never a redirect (contact_support)', async (_name, link) => {
    const body = fixture('webhook-kyc-needs-verification');
    const event = await accepted(
      signedDelivery({ ...body, data: { ...(body.data as object), verificationLink: link } }),
    );
    expect(event).toMatchObject({
      state: { status: 'action_required', nextAction: { type: 'contact_support' } },
    });
  });

  it('a verificationLink on the origin of a plain-http baseUrl is a redirect (a local simulator)', async () => {
    const { provider } = buildProvider({ baseUrl: 'http://127.0.0.1:4010/api' });
    const body = fixture('webhook-kyc-needs-verification');
    const link = 'http://127.0.0.1:4010/persona?inquiry-id=inq_1';
    const result = await provider.webhooks.parseWebhook(
      signedDelivery({ ...body, data: { ...(body.data as object), verificationLink: link } }),
    )();
    expect(result).toMatchObject({
      _tag: 'Right',
      right: { state: { nextAction: { type: 'redirect', url: link } } },
    });
  });
});
