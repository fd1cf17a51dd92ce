/**
 * The hosted start's redirect (issue 11): the URL built from P100's verificationId goes through
 * core's `redirectTo` (https, or the configured base URL's origin when it is plain http), and an id
 * that cannot be one URL path segment is a typed error, never a URIError.
 */
import nock from 'nock';
import type { Either } from 'fp-ts/Either';
import type { KycError } from '@kycport/core';
import { p100VerificationUrl } from '../src';
import { p100RedirectPolicy, p100StartTookEffect } from '../src/p100-start-verification';
import type { P100KycReading } from '../src/p100-get-status';
import {
  API_KEY,
  BASE_URL,
  EXTERNAL_USER_ID,
  USER_REF,
  buildProvider,
  errorBody,
  hostedOptions,
  p100Api,
} from './support';

// The ref a host stores (`p100:<externalUserId>`); bare refs: p100-qualified-refs.test.ts.
const ref = USER_REF;
const STATUS_PATH = `/v1/kyc/status/${EXTERNAL_USER_ID}`;
const retryOptions = { providerOptions: { p100: { ...hostedOptions, country: 'PL' } } };

function right<A>(result: Either<KycError, A>): A {
  if (result._tag === 'Left') throw new Error(`${result.left.kind}: ${result.left.message}`);
  return result.right;
}
function left<A>(result: Either<KycError, A>): KycError {
  if (result._tag === 'Right') throw new Error('expected an error');
  return result.left;
}

afterEach(() => nock.cleanAll());

/** A retry whose start answers `rawBody` (JSON text, so ids with lone surrogates can be sent). */
async function retryAnswered(rawBody: string) {
  const { provider, observer } = buildProvider();
  p100Api()
    .get(STATUS_PATH)
    .reply(404, errorBody('P445', undefined, 'KYC not found'))
    .post('/v1/kyc')
    .reply(201, rawBody, { 'content-type': 'application/json' });
  return { result: await provider.retry(ref, retryOptions)(), observer };
}

describe('the verification URL', () => {
  it.each([
    ['a lone surrogate', '{"verificationId":"\\ud800"}'],
    ['an object', '{"verificationId":{"toString":"x"}}'],
    ['an array', '{"id":["a"]}'],
    ['a dot segment', '{"verificationId":".."}'],
    ['a blank string', '{"verificationId":"  "}'],
    ['a fraction', '{"id":1.5}'],
    ['a negative number', '{"id":-3}'],
    ['an overlong id', JSON.stringify({ verificationId: 'a'.repeat(257) })],
    ['no id', '{}'],
  ])('a verificationId that is %s is a typed unexpected_response naming the user', async (_name, body) => {
    const { result } = await retryAnswered(body);
    expect(left(result)).toMatchObject({
      kind: 'unexpected_response',
      outcome: 'unknown',
      retryable: false,
      userRef: USER_REF,
    });
  });

  it('keeps a hostile id inside one path segment of the configured origin', async () => {
    const { result } = await retryAnswered(
      JSON.stringify({ verificationId: 'javascript:alert(1)//x/../?#' }),
    );
    const nextAction = right(result).state.nextAction;
    if (nextAction.type !== 'redirect') throw new Error(`expected a redirect, got ${nextAction.type}`);
    const url = new URL(nextAction.url);
    expect(url.origin).toBe(BASE_URL);
    expect(url.pathname).toBe(
      `/v1/kyc/verification/${EXTERNAL_USER_ID}/${encodeURIComponent('javascript:alert(1)//x/../?#')}`,
    );
    expect(url.search + url.hash).toBe('');
  });

  it('allows a plain http base URL (a local simulator) through its own origin only', async () => {
    const { provider } = buildProvider({ environment: undefined, baseUrl: 'http://127.0.0.1:4010' });
    nock('http://127.0.0.1:4010', { reqheaders: { 'x-api-key': API_KEY } })
      .get(STATUS_PATH)
      .reply(404, errorBody('P445', undefined, 'KYC not found'))
      .post('/v1/kyc')
      .reply(201, { verificationId: 'v-1' });
    expect(right(await provider.retry(ref, retryOptions)()).state.nextAction).toEqual({
      type: 'redirect',
      url: `http://127.0.0.1:4010/v1/kyc/verification/${EXTERNAL_USER_ID}/v-1`,
    });
    expect(p100RedirectPolicy('http://127.0.0.1:4010')).toEqual({
      allowedOrigins: ['http://127.0.0.1:4010'],
    });
    expect(p100RedirectPolicy(BASE_URL)).toEqual({});
  });

  it('p100VerificationUrl never throws: undefined for a part that cannot be one path segment', () => {
    expect(p100VerificationUrl(BASE_URL, 'u', '\uD800')).toBeUndefined();
    expect(p100VerificationUrl(BASE_URL, '\uDC00', 'v')).toBeUndefined();
    expect(p100VerificationUrl(BASE_URL, 'u', '.')).toBeUndefined();
    expect(p100VerificationUrl(BASE_URL, 'a/b', 'v 1')).toBe(`${BASE_URL}/v1/kyc/verification/a%2Fb/v%201`);
  });
});

describe('what the KYC status read can tell after a lost start', () => {
  const none: P100KycReading = { kind: 'not_started' };
  const read = (status: string, attemptStatus: string): P100KycReading => ({
    kind: 'pair',
    data: { status, attemptStatus },
  });

  it.each([
    ['no verification -> PENDING: took effect', none, read('NOT_VERIFIED', 'PENDING'), true],
    [
      'denied -> PENDING: took effect',
      read('NOT_VERIFIED', 'REJECTED_BY_PROVIDER'),
      read('NOT_VERIFIED', 'PENDING'),
      true,
    ],
    ['expired -> PENDING: took effect', read('EXPIRED', 'SUCCESSFUL'), read('EXPIRED', 'PENDING'), true],
    [
      'denied -> VERIFICATION: took effect',
      read('NOT_VERIFIED', 'REJECTED_BY_PROVIDER'),
      read('NOT_VERIFIED', 'VERIFICATION'),
      true,
    ],
    ['no verification -> none: cannot tell', none, none, false],
    [
      'denied -> denied: cannot tell',
      read('NOT_VERIFIED', 'REJECTED_BY_PROVIDER'),
      read('NOT_VERIFIED', 'REJECTED_BY_PROVIDER'),
      false,
    ],
    [
      'PENDING -> PENDING (no attempt id): cannot tell',
      read('NOT_VERIFIED', 'PENDING'),
      read('NOT_VERIFIED', 'PENDING'),
      false,
    ],
    [
      'VERIFICATION -> PENDING: cannot tell',
      read('NOT_VERIFIED', 'VERIFICATION'),
      read('NOT_VERIFIED', 'PENDING'),
      false,
    ],
  ])('%s', (_name, before, after, expected) => {
    expect(p100StartTookEffect(before, after)).toBe(expected);
  });
});
