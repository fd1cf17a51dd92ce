import { inspect } from 'node:util';
import * as fc from 'fast-check';
import nock from 'nock';
import type { HttpFailure } from '@kycport/http';
import { createPlaidProvider } from '../src/plaid-adapter';
import { PLAID_ENDPOINTS } from '../src/plaid-api';
import { mapPlaidError, mapPlaidListError, mapPlaidRetryError, plaidRequestId } from '../src/plaid-error';
import {
  CLIENT_ID,
  SECRET,
  config,
  plaid,
  plaidError,
  plaidRef,
  resetWire,
  validInput,
} from './plaid-test-kit';

function failure(status: number, body: unknown, operation = 'createUser'): HttpFailure {
  return { provider: 'plaid', operation, status, body, text: JSON.stringify(body ?? ''), requestId: 'req-1' };
}

afterEach(() => resetWire());

describe('Plaid error mapping', () => {
  it.each([
    [400, 'INVALID_INPUT', 'INVALID_API_KEYS', 'unauthorized', false],
    [400, 'INVALID_INPUT', 'UNAUTHORIZED_ENVIRONMENT', 'forbidden', false],
    [400, 'INVALID_INPUT', 'INVALID_PRODUCT', 'forbidden', false],
    [400, 'INVALID_REQUEST', 'MISSING_FIELDS', 'validation', false],
    [400, 'INVALID_REQUEST', 'INVALID_FIELD', 'validation', false],
    [400, 'INVALID_REQUEST', 'INCOMPATIBLE_API_VERSION', 'validation', false],
    [400, 'INVALID_INPUT', 'SOMETHING_NEW', 'validation', false],
    [429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', 'rate_limited', true],
    [500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'provider_unavailable', true],
    [503, 'API_ERROR', 'PLANNED_MAINTENANCE', 'provider_unavailable', true],
    [400, 'API_ERROR', 'PLANNED_MAINTENANCE', 'provider_unavailable', true],
  ])(
    'maps HTTP %i %s/%s to %s (retryable %s), keeping the code and request id',
    (status, type, code, kind, retryable) => {
      const error = mapPlaidError(failure(status, plaidError(type, code)));
      expect(error).toMatchObject({
        kind,
        retryable,
        providerCode: code,
        requestId: 'req-1',
        httpStatus: status,
      });
    },
  );

  it('falls back to the HTTP status for an unknown type and code, keeping the code', () => {
    expect(mapPlaidError(failure(409, plaidError('NEW_TYPE', 'NEW_CODE')))).toMatchObject({
      kind: 'conflict',
      providerCode: 'NEW_CODE',
    });
    expect(mapPlaidError(failure(502, plaidError('NEW_TYPE', 'NEW_CODE')))).toMatchObject({
      kind: 'provider_unavailable',
      retryable: true,
    });
  });

  it('tolerates bodies that are not a PlaidError (HTML, empty)', () => {
    expect(mapPlaidError(failure(502, undefined))).toMatchObject({ kind: 'provider_unavailable' });
    expect(mapPlaidError(failure(403, 'Forbidden'))).toMatchObject({ kind: 'forbidden' });
  });

  it('reports the Sandbox "not authorized ... identity_verification" product error as forbidden', () => {
    const body = plaidError('INVALID_REQUEST', 'SOME_UNDOCUMENTED_CODE', {
      error_message: 'client is not authorized to access the following products: ["identity_verification"]',
    });
    expect(mapPlaidError(failure(400, body))).toMatchObject({
      kind: 'forbidden',
      providerCode: 'SOME_UNDOCUMENTED_CODE',
    });
  });

  it('maps a refused retry strategy to invalid_state on retry only (the retry endpoint’s own mapper)', () => {
    expect(
      mapPlaidRetryError(failure(400, plaidError('INVALID_REQUEST', 'INVALID_FIELD'), 'retry')),
    ).toMatchObject({ kind: 'invalid_state', providerCode: 'INVALID_FIELD' });
    expect(
      mapPlaidRetryError(failure(400, plaidError('INVALID_INPUT', 'UNDOCUMENTED'), 'retry')),
    ).toMatchObject({
      kind: 'invalid_state',
    });
    expect(
      mapPlaidRetryError(failure(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS'), 'retry')),
    ).toMatchObject({ kind: 'unauthorized' });
    expect(
      mapPlaidError(failure(400, plaidError('INVALID_REQUEST', 'INVALID_FIELD'), 'createUser')),
    ).toMatchObject({ kind: 'validation' });
  });

  it('declares the retry and list rules on their endpoints only, never by reading the operation name', () => {
    expect(PLAID_ENDPOINTS.retry.mapError).toBe(mapPlaidRetryError);
    expect(PLAID_ENDPOINTS.list.mapError).toBe(mapPlaidListError);
    const others = [PLAID_ENDPOINTS.create, PLAID_ENDPOINTS.get, PLAID_ENDPOINTS.webhookVerificationKey];
    expect(others.map((endpoint) => endpoint.mapError)).toEqual([undefined, undefined, undefined]);
    expect(
      mapPlaidError(failure(400, plaidError('INVALID_REQUEST', 'INVALID_FIELD'), 'retry')),
    ).toMatchObject({ kind: 'validation' });
  });

  // Issue 12: every 400 INVALID_FIELD on retry was invalid_state, an unknown user and a bad template too.
  const named = (
    message: string | null,
    display: unknown = null,
    type = 'INVALID_REQUEST',
    code = 'INVALID_FIELD',
  ) => plaidError(type, code, { error_message: message, display_message: display });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'client_user_id unknown',
      named(`client_user_id ${SECRET} does not match any Identity Verification`),
      'not_found',
    ],
    [
      'no attempt for user and template',
      named('no Identity Verification exists for this client_user_id and template_id'),
      'not_found',
    ],
    ['user not found (display message)', named(null, 'User not found'), 'not_found'],
    [
      'template unknown',
      named('template_id idvtmp_x does not match any Identity Verification template'),
      'config',
    ],
    [
      'template invalid (unlisted code)',
      named('invalid template_id', null, 'INVALID_INPUT', 'INVALID_TEMPLATE'),
      'config',
    ],
    ['a user field', named('user.address.postal_code must be 5 digits for US addresses'), 'validation'],
    [
      'the infer rule',
      named('the infer strategy cannot be applied while the latest Identity Verification is still active'),
      'invalid_state',
    ],
    [
      'the incomplete rule',
      named('incomplete cannot be applied: the failing step is risk_check'),
      'invalid_state',
    ],
    [
      'a state refusal naming the user',
      named('client_user_id has an active session; infer cannot be applied'),
      'invalid_state',
    ],
    ['nothing', named('the request could not be applied'), 'invalid_state'],
    ['no text at all', named(null, 42), 'invalid_state'],
  ])('on retry, a 400 field refusal about %s is %s', (_name, body, kind) => {
    const error = mapPlaidRetryError(failure(400, body, 'retry'));
    expect(error).toMatchObject({ kind, retryable: false, httpStatus: 400, providerCode: body.error_code });
    if (kind === 'config') expect(error).toMatchObject({ issues: [{ path: 'templateId' }] });
    const text = JSON.stringify(error);
    for (const value of [SECRET, 'idvtmp_x', 'postal_code', 'does not match'])
      expect(text).not.toContain(value);
  });

  it('property: any refusal texts give one of the five kinds, never copying them', () => {
    const words = fc.constantFrom(
      'client_user_id',
      'template_id',
      'user.name',
      'not found',
      'invalid',
      'user',
      'x',
    );
    // Free text is marked so the leak check below cannot mistake kycport's own words (its message
    // names `client_user_id` and the template) for copied provider text.
    const text = fc.oneof(
      fc.string().map((free) => `provider-text:${free}`),
      fc.array(words, { maxLength: 6 }).map((parts) => parts.join(' ')),
      fc.constant(null),
      fc.anything(),
    );
    fc.assert(
      fc.property(
        text,
        text,
        fc.constantFrom('INVALID_REQUEST', 'INVALID_INPUT'),
        (message, display, type) => {
          const body = {
            ...plaidError(type, 'INVALID_FIELD'),
            error_message: message,
            display_message: display,
          };
          const error = mapPlaidRetryError(failure(400, body, 'retry'));
          expect(['not_found', 'config', 'validation', 'invalid_state']).toContain(error.kind);
          expect(error.retryable).toBe(false);
          const serialized = JSON.stringify(error);
          for (const value of [message, display]) {
            if (typeof value === 'string' && value.startsWith('provider-text:'))
              expect(serialized).not.toContain(value);
          }
        },
      ),
    );
  });

  it('reads a refused template as config on every endpoint, and a list refusal that names no other field too', () => {
    const template = named('template_id idvtmp_x does not match any Identity Verification template');
    expect(mapPlaidError(failure(400, template))).toMatchObject({
      kind: 'config',
      issues: [{ path: 'templateId' }],
    });
    expect(mapPlaidError(failure(400, named('the request could not be applied')))).toMatchObject({
      kind: 'validation',
    });
    expect(
      mapPlaidError(
        failure(
          400,
          named('an Identity Verification already exists for this client_user_id and template_id'),
        ),
      ),
    ).toMatchObject({ kind: 'validation' });
    expect(mapPlaidListError(failure(400, template, 'getStatus'))).toMatchObject({ kind: 'config' });
    expect(
      mapPlaidListError(failure(400, named('the request could not be applied'), 'getStatus')),
    ).toMatchObject({
      kind: 'config',
    });
    expect(mapPlaidListError(failure(400, named('cursor is not valid'), 'getStatus'))).toMatchObject({
      kind: 'validation',
    });
    // Not a field refusal: the usual rules.
    expect(
      mapPlaidListError(failure(429, plaidError('RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'), 'getStatus')),
    ).toMatchObject({
      kind: 'rate_limited',
    });
    expect(mapPlaidRetryError(failure(500, template, 'retry'))).toMatchObject({ kind: 'validation' });
  });

  it('never copies error_message or display_message into the error', () => {
    const error = mapPlaidError(failure(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS')));
    expect(JSON.stringify(error)).not.toContain('submitted value');
    expect(JSON.stringify(error)).not.toContain('display');
  });

  it('reads the request id from the JSON body', () => {
    expect(plaidRequestId({}, { request_id: 'abc' })).toBe('abc');
    expect(plaidRequestId({ 'x-request-id': 'hdr' }, '<html>')).toBe('hdr');
  });

  it('keeps secrets and personal data out of errors from real calls (JSON and util.inspect)', async () => {
    const provider = createPlaidProvider(config, { transport: { retry: false } });
    plaid().post('/identity_verification/create').reply(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS'));
    plaid().post('/identity_verification/list').reply(500, 'upstream failure');
    nock('https://sandbox.plaid.com')
      .post('/identity_verification/get')
      .replyWithError(Object.assign(new Error(`socket hang up ${SECRET}`), { code: 'ECONNRESET' }));
    const results = [
      await provider.createUser(validInput)(),
      await provider.getStatus(plaidRef('host-user-1'))(),
      await provider.getVerification('idv_x', { timeoutMs: 2000 })(),
    ];
    const needles = [SECRET, CLIENT_ID, validInput.applicant.email ?? '', validInput.applicant.phone ?? ''];
    expect(results.map((result) => result._tag)).toEqual(['Left', 'Left', 'Left']);
    expect(results.map((result) => (result._tag === 'Left' ? result.left.kind : ''))).toEqual([
      'unauthorized',
      'provider_unavailable',
      'network',
    ]);
    for (const result of results) {
      for (const rendering of [JSON.stringify(result), inspect(result, { depth: 10, showHidden: true })]) {
        for (const needle of needles) expect(rendering.includes(needle)).toBe(false);
      }
    }
    expect(results[0]?._tag === 'Left' && results[0].left.requestId).toBe('errReq00000001');
    provider.close();
  });
});
