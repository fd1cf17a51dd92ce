/**
 * Plu's webhook signature schemes (issue 12). The current https://docs.getplu.com/webhooks says only
 * that a `whsec_` secret verifies signatures; its earlier revision documents `X-Webhook-Signature`
 * (hex HMAC-SHA256 of the body, key = the secret as-is). Accepted as plausible: Standard Webhooks
 * (`webhook-id`/`-timestamp`/`-signature: v1,<base64>` over `id.timestamp.body`, key = base64 of
 * the secret after `whsec_`), the same with `svix-` headers, and `t=<unix>,v1=<hex>` (Stripe /
 * Persona style, over `t.body`) in `Plu-Signature`, `Persona-Signature` or `X-Webhook-Signature`.
 * Every present scheme must verify; timestamps must be within 5 minutes of the clock.
 * The expected signatures are computed here with node:crypto, never with the adapter's code.
 */
import { createHmac } from 'node:crypto';
import * as E from 'fp-ts/Either';
import type { WebhookRequest } from '@kycport/core';
import { createPluWebhookHandler, verifyPluWebhookSignature } from '../src';
import { cleanNockAfterEach, fixture } from './plu-test-support';

cleanNockAfterEach();

/** A Standard Webhooks secret: `whsec_` and base64 (of 24 bytes, as Svix issues them). */
const KEY_BYTES = Buffer.from('kycport-plu-test-key-001', 'utf8');
const SECRET = `whsec_${KEY_BYTES.toString('base64')}`;
const NOW_MS = Date.parse('2026-05-01T10:00:00.000Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const BODY = JSON.stringify(fixture('webhook-kyc-approved'));

const handler = createPluWebhookHandler(SECRET, { now: () => NOW_MS });

const hex = (key: string | Buffer, payload: string) =>
  createHmac('sha256', key).update(payload).digest('hex');
const base64 = (key: string | Buffer, payload: string) =>
  createHmac('sha256', key).update(payload).digest('base64');

const documented = (body = BODY, secret = SECRET) => ({ 'X-Webhook-Signature': hex(secret, body) });
function standard(
  prefix: 'webhook' | 'svix',
  options: { body?: string; at?: number; id?: string; key?: Buffer } = {},
) {
  const { body = BODY, at = NOW_S, id = 'msg_2b3c4d', key = KEY_BYTES } = options;
  return {
    [`${prefix}-id`]: id,
    [`${prefix}-timestamp`]: String(at),
    [`${prefix}-signature`]: `v1,${base64(key, `${id}.${at}.${body}`)}`,
  };
}
const timestamped = (body = BODY, at = NOW_S, secret = SECRET) =>
  `t=${at},v1=${hex(secret, `${at}.${body}`)}`;

async function verdict(headers: Record<string, string>, rawBody = BODY): Promise<E.Either<string, string>> {
  const result = await handler.parseWebhook({ headers, rawBody })();
  return E.isRight(result) ? E.right(result.right.type) : E.left(result.left.message);
}

describe('plu webhook signature schemes', () => {
  it.each([
    ['the documented X-Webhook-Signature (hex HMAC of the body)', documented()],
    ['Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)', standard('webhook')],
    ['Svix headers (svix-id, svix-timestamp, svix-signature)', standard('svix')],
    ['t=,v1= in Plu-Signature', { 'Plu-Signature': timestamped() }],
    ['t=,v1= in Persona-Signature', { 'Persona-Signature': timestamped() }],
    ['t=,v1= in X-Webhook-Signature', { 'X-Webhook-Signature': timestamped() }],
    ['two schemes, both valid', { ...documented(), ...standard('webhook') }],
  ])('accepts %s', async (_name, headers) => {
    expect(await verdict(headers)).toEqual(E.right('user.kyc-event'));
    expect(verifyPluWebhookSignature({ headers, rawBody: BODY }, SECRET, { now: () => NOW_MS })).toBe(true);
  });

  it('accepts a Standard Webhooks list with a stale signature next to the valid one, and ignores other versions', async () => {
    const headers = standard('webhook');
    headers['webhook-signature'] =
      `v1,${base64(Buffer.from('old key'), 'x')} v1a,abc ${headers['webhook-signature']}`;
    expect(await verdict(headers)).toEqual(E.right('user.kyc-event'));
  });

  it('accepts t=,v1= with two sets during a secret rotation (space-separated), one of them ours', async () => {
    const rotated = `t=${NOW_S},v1=${hex('whsec_old', `${NOW_S}.${BODY}`)} ${timestamped()}`;
    expect(await verdict({ 'Plu-Signature': rotated })).toEqual(E.right('user.kyc-event'));
  });

  it.each([
    ['no signature header at all', {}, 'no signature header'],
    ['X-Webhook-Signature with another secret', documented(BODY, 'whsec_other'), 'does not match'],
    [
      'Standard Webhooks signed with another key',
      standard('webhook', { key: Buffer.from('another key') }),
      'does not match',
    ],
    [
      'Standard Webhooks over another id',
      { ...standard('webhook'), 'webhook-id': 'msg_other' },
      'does not match',
    ],
    ['Standard Webhooks 6 minutes old', standard('webhook', { at: NOW_S - 360 }), 'tolerance'],
    ['Standard Webhooks 6 minutes ahead', standard('webhook', { at: NOW_S + 360 }), 'tolerance'],
    [
      'Standard Webhooks without webhook-timestamp',
      { ...standard('webhook'), 'webhook-timestamp': '' },
      'webhook-timestamp',
    ],
    [
      'Standard Webhooks with a timestamp that is not a number',
      { ...standard('webhook'), 'webhook-timestamp': '12ab' },
      'webhook-timestamp',
    ],
    [
      'Standard Webhooks with no v1 entry',
      { ...standard('webhook'), 'webhook-signature': 'v1a,abc' },
      'does not match',
    ],
    ['Svix signed with another key', standard('svix', { key: Buffer.from('another key') }), 'does not match'],
    [
      't=,v1= with another secret',
      { 'Plu-Signature': timestamped(BODY, NOW_S, 'whsec_other') },
      'does not match',
    ],
    ['t=,v1= 6 minutes old', { 'Plu-Signature': timestamped(BODY, NOW_S - 360) }, 'tolerance'],
    ['t=,v1= without t', { 'Plu-Signature': `v1=${hex(SECRET, BODY)}` }, 'Plu-Signature'],
    ['an X-Webhook-Signature of neither form', { 'X-Webhook-Signature': 'abc123' }, 'X-Webhook-Signature'],
    [
      'a valid X-Webhook-Signature next to a failing Standard Webhooks one',
      { ...documented(), ...standard('webhook', { key: Buffer.from('x') }) },
      'Standard Webhooks',
    ],
    [
      'a valid Standard Webhooks signature next to a failing X-Webhook-Signature',
      { ...standard('webhook'), ...documented(BODY, 'whsec_other') },
      'X-Webhook-Signature',
    ],
    [
      'a valid t=,v1= next to a failing svix one',
      { 'Plu-Signature': timestamped(), ...standard('svix', { at: NOW_S - 3600 }) },
      'svix',
    ],
  ])('refuses %s', async (_name, headers, because) => {
    const result = await verdict(headers);
    expect(E.isLeft(result) && result.left).toEqual(expect.stringContaining(because));
    expect(verifyPluWebhookSignature({ headers, rawBody: BODY }, SECRET, { now: () => NOW_MS })).toBe(false);
  });

  it('refuses a tampered body under every scheme', async () => {
    const tampered = BODY.replace('"approved"', '"denied"');
    for (const headers of [
      documented(),
      standard('webhook'),
      standard('svix'),
      { 'Plu-Signature': timestamped() },
    ])
      expect(E.isLeft(await verdict(headers, tampered))).toBe(true);
  });

  it('fails closed when the secret after whsec_ is not base64: Standard Webhooks cannot be verified, the other schemes still can', async () => {
    const plain = 'whsec_not*base64!';
    const local = createPluWebhookHandler(plain, { now: () => NOW_MS });
    const headers = standard('webhook', { key: Buffer.from('not*base64!') });
    const refused = await local.parseWebhook({ headers, rawBody: BODY })();
    expect(E.isLeft(refused) && refused.left.message).toContain('not base64');
    expect(E.isLeft(refused) && refused.left.message).not.toContain(plain);
    const hexSigned = await local.parseWebhook({ headers: documented(BODY, plain), rawBody: BODY })();
    expect(E.isRight(hexSigned)).toBe(true);
  });

  it('uses the injected clock: the same delivery is accepted at its time and refused 10 minutes later', async () => {
    const headers = standard('webhook');
    const later = createPluWebhookHandler(SECRET, { now: () => NOW_MS + 600_000 });
    expect(E.isRight(await handler.parseWebhook({ headers, rawBody: BODY })())).toBe(true);
    expect(E.isLeft(await later.parseWebhook({ headers, rawBody: BODY })())).toBe(true);
  });

  it('never copies a signature, the secret or the body into the message', async () => {
    const headers = standard('webhook', { key: Buffer.from('another key') });
    const result = await verdict(headers);
    const message = E.isLeft(result) ? result.left : '';
    for (const value of [...Object.values(headers), SECRET, 'jane'])
      expect(message).not.toContain(value.length > 12 ? value.slice(3, 15) : value);
  });

  it('reads headers of any case and array values (Node joins none of these)', async () => {
    const headers = standard('webhook');
    const request: WebhookRequest = {
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name.toUpperCase(), [value]]),
      ),
      rawBody: Buffer.from(BODY),
    };
    expect(E.isRight(await handler.parseWebhook(request)())).toBe(true);
  });

  it('reads a header the way getHeader does: a blank or non-text duplicate does not hide a later usable one', async () => {
    const signature = hex(SECRET, BODY);
    const headers = { 'x-webhook-signature': [], 'X-Webhook-Signature': signature } as unknown as Record<
      string,
      string
    >;
    expect(await verdict(headers)).toEqual(E.right('user.kyc-event'));
    // The first text value wins, even when it is blank (then the scheme is absent).
    expect(E.isLeft(await verdict({ 'x-webhook-signature': '  ', 'X-WEBHOOK-SIGNATURE': signature }))).toBe(
      true,
    );
  });

  const flipLast = (text: string) => `${text.slice(0, -1)}${text.endsWith('0') ? '1' : '0'}`;

  it('compares hex MACs case-insensitively and refuses a hex of the wrong length or alphabet', async () => {
    const upper = timestamped().replace(/v1=([0-9a-f]+)/, (_all, mac: string) => `v1=${mac.toUpperCase()}`);
    expect(await verdict({ 'Plu-Signature': upper })).toEqual(E.right('user.kyc-event'));
    const mac = hex(SECRET, `${NOW_S}.${BODY}`);
    for (const wrong of [mac.slice(1), `${mac}0`, `${mac.slice(0, 63)}g`, ''])
      expect(E.isLeft(await verdict({ 'Plu-Signature': `t=${NOW_S},v1=${wrong}` }))).toBe(true);
    expect(E.isLeft(await verdict({ 'X-Webhook-Signature': flipLast(hex(SECRET, BODY)) }))).toBe(true);
  });
});
