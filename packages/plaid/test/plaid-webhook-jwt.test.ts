/**
 * The hand-written ES256 path of the Plaid webhook verifier (plaid-jwt.ts, issue 17): keys are
 * imported once as `KeyObject`s and re-imported only when Plaid's answer replaced them; every
 * forged, stale, mismatched or malformed token is a typed `webhook_rejected`, and the ones that can
 * be refused from the header alone never cost a key fetch. Tokens are signed here with jose or
 * node:crypto, never with the adapter's code; the key endpoint is an in-memory `fetchKey` whose
 * calls are counted.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { SignJWT } from 'jose';
import { kycError } from '@kycport/core';
import type { KycError, WebhookRequest } from '@kycport/core';
import type { PlaidJwkPublicKey } from '../src/plaid-api';
import { createPlaidWebhookVerifier } from '../src/plaid-webhooks';
import type { PlaidWebhookVerifier } from '../src/plaid-webhooks';
import { PROPERTY_TIMEOUT_MS } from './plaid-property-kit';

/** node:crypto itself (what plaid-jwt.ts calls), not an import wrapper, so its functions can be spied on. */
const nodeCrypto = jest.requireActual<typeof NodeCrypto>('node:crypto');

const NOW_MS = Date.parse('2026-01-02T03:04:05Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const BODY = JSON.stringify({
  webhook_type: 'IDENTITY_VERIFICATION',
  webhook_code: 'STATUS_UPDATED',
  identity_verification_id: 'idv_52xR9LKo77r1Np',
  environment: 'sandbox',
});

interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: PlaidJwkPublicKey;
}

function testKey(kid: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x, y } = publicKey.export({ format: 'jwk' });
  const jwk = { kty: 'EC', crv: 'P-256', x: x ?? '', y: y ?? '', alg: 'ES256', kid, use: 'sig' };
  return { kid, privateKey, jwk: { ...jwk, created_at: 1560466150, expired_at: null } };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A compact JWS over any header and claims, signed with node:crypto (r || s, as JWS ES256 wants). */
function rawToken(key: TestKey, header: unknown, claims: unknown): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** A genuine token for `key` over `body` (jose signs it). */
async function genuineToken(
  key: TestKey,
  body = BODY,
  claims: { iat?: number; hash?: string } = {},
): Promise<string> {
  const jwk = key.privateKey.export({ format: 'jwk' });
  return new SignJWT({ request_body_sha256: claims.hash ?? sha256(body) })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(claims.iat ?? NOW_S)
    .sign(createPrivateKey({ key: jwk, format: 'jwk' }));
}

const request = (token: string, rawBody: string | Uint8Array = BODY): WebhookRequest => ({
  headers: { 'plaid-verification': token },
  rawBody,
});

let fetched: string[];
let plaidKeys: Map<string, PlaidJwkPublicKey>;
let verifier: PlaidWebhookVerifier;
const current = testKey('kid-current');

/** A key endpoint in memory: a fresh object per answer, as a JSON decode of Plaid's answer gives. */
function fetchKey(kid: string): TE.TaskEither<KycError, PlaidJwkPublicKey> {
  fetched.push(kid);
  const key = plaidKeys.get(kid);
  if (key !== undefined) return TE.right({ ...key });
  return TE.left(
    kycError('webhook_rejected', { provider: 'plaid', message: 'unknown kid', retryable: false }),
  );
}

beforeEach(() => {
  fetched = [];
  plaidKeys = new Map([[current.kid, current.jwk]]);
  verifier = createPlaidWebhookVerifier({ fetchKey, now: () => NOW_MS });
});
afterEach(() => jest.restoreAllMocks());

async function verified(token: string, rawBody: string | Uint8Array = BODY): Promise<void> {
  const result = await verifier.verify(request(token, rawBody))();
  if (E.isLeft(result)) throw new Error(`expected a verified webhook: ${result.left.message}`);
  expect(result.right.bodySha256).toBe(createHash('sha256').update(rawBody).digest('hex'));
}

async function refusal(given: WebhookRequest | string): Promise<string> {
  const result = await verifier.verify(typeof given === 'string' ? request(given) : given)();
  if (E.isRight(result)) throw new Error('expected a rejection');
  expect(result.left).toMatchObject({ kind: 'webhook_rejected', provider: 'plaid' });
  return result.left.message;
}

describe('Plaid webhook keys are imported once', () => {
  it('verifies many deliveries with one key fetch and one KeyObject import', async () => {
    const imports = jest.spyOn(nodeCrypto, 'createPublicKey');
    for (let second = 0; second < 20; second += 1)
      await verified(await genuineToken(current, BODY, { iat: NOW_S - second }));
    expect(fetched).toEqual([current.kid]);
    expect(imports).toHaveBeenCalledTimes(1);
  });

  it('fetches and imports a rotated kid, re-imports only a key Plaid answered again, and caches both', async () => {
    const imports = jest.spyOn(nodeCrypto, 'createPublicKey');
    const next = testKey('kid-next');
    plaidKeys.set(next.kid, next.jwk);
    await verified(await genuineToken(current));
    await verified(await genuineToken(next));
    // A new kid: Plaid's reference code re-reads the other cached keys (a fresh answer for kid-current).
    expect(fetched).toEqual([current.kid, next.kid, current.kid]);
    expect(imports).toHaveBeenCalledTimes(2);
    for (let round = 0; round < 3; round += 1) {
      await verified(await genuineToken(current, BODY, { iat: NOW_S - round }));
      await verified(await genuineToken(next, BODY, { iat: NOW_S - round }));
    }
    expect(fetched).toHaveLength(3);
    expect(imports).toHaveBeenCalledTimes(3);
  });

  it('asks Plaid about an unknown kid once (negative cache), and starts over after clearKeys', async () => {
    const stranger = testKey('kid-unknown');
    for (let attempt = 0; attempt < 3; attempt += 1) await refusal(await genuineToken(stranger));
    expect(fetched).toEqual([stranger.kid]);
    const imports = jest.spyOn(nodeCrypto, 'createPublicKey');
    await verified(await genuineToken(current));
    verifier.clearKeys();
    await verified(await genuineToken(current));
    expect(fetched).toEqual([stranger.kid, current.kid, current.kid]);
    expect(imports).toHaveBeenCalledTimes(2);
  });

  it('refuses a key node:crypto cannot import (not a point on P-256) as a bad signature', async () => {
    plaidKeys.set(current.kid, { ...current.jwk, y: current.jwk.x });
    expect(await refusal(await genuineToken(current))).toContain('signature does not verify');
  });
});

describe('Plaid webhook JWT rejections', () => {
  it.each([
    ['alg none', () => `${b64({ alg: 'none', kid: current.kid })}.${b64({ iat: NOW_S })}.`, 'ES256'],
    ['alg HS256', async () => hs256(), 'ES256'],
    ['alg missing', () => rawToken(current, { kid: current.kid }, claims()), 'ES256'],
    [
      'alg es256 (case matters)',
      () => rawToken(current, { alg: 'es256', kid: current.kid }, claims()),
      'ES256',
    ],
    [
      'a crit header, validly signed',
      () => rawToken(current, { ...es256(), crit: ['b64'], b64: false }, claims()),
      'crit',
    ],
    ['no kid', () => rawToken(current, { alg: 'ES256' }, claims()), 'key id'],
    [
      'a kid of 201 characters',
      () => rawToken(current, { alg: 'ES256', kid: 'k'.repeat(201) }, claims()),
      'key id',
    ],
    ['a DER signature (not 64 bytes)', () => derSigned(), 'signature'],
    ['an empty signature', () => `${b64(es256())}.${b64(claims())}.`, 'signature'],
  ])('refuses %s before any key fetch', async (_name, token, reason) => {
    expect(await refusal(await token())).toContain(reason);
    expect(fetched).toEqual([]);
  });

  it.each([
    ['two segments', () => `${b64(es256())}.${b64(claims())}`],
    ['four segments', async () => `${await genuineToken(current)}.e30`],
    ['five segments (a JWE shape)', () => `${b64(es256())}.a.b.c.d`],
    ['an empty header segment', () => `.${b64(claims())}.${'A'.repeat(86)}`],
    ['a header that is not JSON', () => `${Buffer.from('{alg').toString('base64url')}.e30.${'A'.repeat(86)}`],
    ['a header that is a JSON array', () => `${b64(['ES256'])}.e30.${'A'.repeat(86)}`],
    ['a header that is JSON null', () => `${b64(null)}.e30.${'A'.repeat(86)}`],
    ['padding in a segment', async () => withSegment(await genuineToken(current), 0, (s) => `${s}==`)],
    [
      'standard base64 (+ and /)',
      async () => withSegment(await genuineToken(current), 2, (s) => s.replace(/.$/, '+')),
    ],
    [
      'a space inside a segment',
      async () => withSegment(await genuineToken(current), 1, (s) => `${s.slice(0, 4)} ${s.slice(4)}`),
    ],
    [
      'a character outside base64url',
      async () => withSegment(await genuineToken(current), 1, (s) => `${s.slice(1)}*`),
    ],
    [
      'a segment of impossible length (4n + 1)',
      async () => withSegment(await genuineToken(current), 2, () => 'A'.repeat(85)),
    ],
  ])('refuses %s as not a JWT, before any key fetch', async (_name, token) => {
    expect(await refusal(await token())).toContain('not a JWT');
    expect(fetched).toEqual([]);
  });

  it('refuses a signature by another key under the known kid, and a tampered payload', async () => {
    const impostor = { ...testKey(current.kid), jwk: current.jwk };
    expect(await refusal(await genuineToken(impostor))).toContain('signature does not verify');
    const genuine = await genuineToken(current);
    const tampered = withSegment(genuine, 1, () => b64({ iat: NOW_S, request_body_sha256: sha256('other') }));
    expect(await refusal(tampered)).toContain('signature does not verify');
    const flipped = withSegment(genuine, 2, (s) => `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`);
    expect(await refusal(flipped)).toContain('signature does not verify');
    expect(fetched).toEqual([current.kid]);
  });

  it('refuses a kid Plaid does not know (after asking once)', async () => {
    expect(await refusal(await genuineToken(testKey('kid-stranger')))).toContain(
      'did not return a verification key',
    );
    expect(fetched).toEqual(['kid-stranger']);
  });

  it('checks iat within 5 minutes either way, at the boundary too', async () => {
    await verified(await genuineToken(current, BODY, { iat: NOW_S - 300 }));
    await verified(await genuineToken(current, BODY, { iat: NOW_S + 300 }));
    expect(await refusal(await genuineToken(current, BODY, { iat: NOW_S - 301 }))).toContain(
      'older than 5 minutes',
    );
    expect(await refusal(await genuineToken(current, BODY, { iat: NOW_S + 301 }))).toContain(
      'older than 5 minutes',
    );
  });

  it('refuses claims that are malformed or not JSON, validly signed', async () => {
    for (const claimsOf of [
      { iat: String(NOW_S), request_body_sha256: sha256(BODY) },
      { iat: NOW_S },
      [NOW_S],
    ]) {
      expect(await refusal(rawToken(current, es256(), claimsOf))).toContain('claims are malformed');
    }
    const input = `${b64(es256())}.${Buffer.from('not json').toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: current.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    expect(await refusal(`${input}.${signature.toString('base64url')}`)).toContain('claims are malformed');
  });

  it('compares the body hash in either hex case, and refuses any other body or hash', async () => {
    await verified(await genuineToken(current, BODY, { hash: sha256(BODY).toUpperCase() }));
    await verified(await genuineToken(current), new TextEncoder().encode(BODY));
    const other = BODY.replace('STATUS_UPDATED', 'STEP_UPDATED');
    expect(await refusal(request(await genuineToken(current), other))).toContain('request_body_sha256');
    for (const hash of [sha256(BODY).slice(1), `${sha256(BODY)}0`, `${sha256(BODY).slice(0, 63)}g`, '']) {
      expect(await refusal(await genuineToken(current, BODY, { hash }))).toContain('request_body_sha256');
    }
  });

  it('accepts a token with surrounding whitespace (the header value trimmed)', async () => {
    await verified(` ${await genuineToken(current)}\t`);
  });
});

describe('property: a changed character never verifies', () => {
  it(
    'any one-character change of a genuine token is refused, unless it only flips unused bits of the signature',
    async () => {
      const genuine = await genuineToken(current);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: genuine.length - 1 }),
          fc.constantFrom(...alphabet),
          async (at, character) => {
            const changed = `${genuine.slice(0, at)}${character}${genuine.slice(at + 1)}`;
            const result = await verifier.verify(request(changed))();
            const sameBytes =
              at > genuine.lastIndexOf('.') &&
              /^[A-Za-z0-9_-]$/.test(character) &&
              Buffer.from(changed.split('.')[2] ?? '', 'base64url').equals(
                Buffer.from(genuine.split('.')[2] ?? '', 'base64url'),
              );
            expect(E.isRight(result)).toBe(changed === genuine || sameBytes);
            if (E.isLeft(result)) expect(result.left.kind).toBe('webhook_rejected');
          },
        ),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

function es256(): Record<string, unknown> {
  return { alg: 'ES256', kid: current.kid, typ: 'JWT' };
}

function claims(): Record<string, unknown> {
  return { iat: NOW_S, request_body_sha256: sha256(BODY) };
}

async function hs256(): Promise<string> {
  return new SignJWT(claims())
    .setProtectedHeader({ alg: 'HS256', kid: current.kid })
    .sign(new TextEncoder().encode('a-shared-secret-anyone-could-guess-32b'));
}

function derSigned(): string {
  const input = `${b64(es256())}.${b64(claims())}`;
  return `${input}.${sign('sha256', Buffer.from(input), current.privateKey).toString('base64url')}`;
}

/** The token with segment `index` rewritten. */
function withSegment(token: string, index: number, change: (segment: string) => string): string {
  return token
    .split('.')
    .map((segment, at) => (at === index ? change(segment) : segment))
    .join('.');
}
