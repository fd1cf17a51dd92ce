/** Property tests: no input makes core's decoders or webhook helpers throw. */
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import {
  CreateUserInputCodec,
  RetryStrategyCodec,
  SubmitVerificationInputCodec,
  UserRefCodec,
  decodeInput,
  getHeader,
  readWebhookBody,
} from '@kycport/core';

/** Strings with lone surrogates and control characters, where most bugs hide. */
const hostileText = fc.string({ unit: 'binary' });
const anything = fc.oneof(fc.anything(), hostileText, fc.object({ values: [hostileText, fc.anything()] }));

describe('property: decoders answer every input with an Either', () => {
  it.each([
    ['CreateUserInput', CreateUserInputCodec],
    ['SubmitVerificationInput', SubmitVerificationInputCodec],
    ['RetryStrategy', RetryStrategyCodec],
    ['UserRef', UserRefCodec],
  ] as const)('%s', (_name, codec) => {
    fc.assert(
      fc.property(anything, (input) => {
        const result = decodeInput('plu', codec as never, input, 'input');
        expect(E.isLeft(result) || E.isRight(result)).toBe(true);
        if (E.isLeft(result)) expect(JSON.stringify(result.left)).not.toContain('\uD800');
      }),
    );
  });

  it('a ref that decodes is well-formed and fits in a URL', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        if (E.isRight(UserRefCodec.decode(text))) expect(() => encodeURIComponent(text)).not.toThrow();
      }),
    );
  });
});

describe('property: webhook helpers never throw', () => {
  it('getHeader on any header map', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.dictionary(hostileText, anything)), hostileText, (headers, name) => {
        const value = getHeader(headers as never, name);
        expect(value === undefined || typeof value === 'string').toBe(true);
      }),
    );
  });

  it('readWebhookBody on any body', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.uint8Array()), (body) => {
        const result = readWebhookBody('plu', body);
        expect(E.isLeft(result) || typeof result.right === 'string').toBe(true);
      }),
    );
  });
});
