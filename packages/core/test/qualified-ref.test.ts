import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import fc from 'fast-check';
import {
  QualifiedUserRefCodec,
  formatUserRef,
  isKycError,
  kycError,
  parseUserRef,
  readUserRef,
  userRef,
  withQualifiedRefs,
} from '../src';
import type { KycProviderWithWebhooks, KycState, UserRef } from '../src';

const providerIds = fc.stringMatching(/^[a-z][a-z0-9_-]{0,31}$/);
const ids = fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }).filter((id) => id.trim() !== '');

describe('formatUserRef / parseUserRef', () => {
  it('round-trips any provider id and any id, including ids with ":"', () => {
    fc.assert(
      fc.property(providerIds, ids, (provider, id) => {
        expect(parseUserRef(formatUserRef(provider, id))).toEqual(E.right({ provider, id }));
        expect(QualifiedUserRefCodec.encode({ provider, id })).toBe(formatUserRef(provider, id));
      }),
    );
    expect(parseUserRef('plu:a:b:c')).toEqual(E.right({ provider: 'plu', id: 'a:b:c' }));
  });

  it.each([['no-prefix'], [':id'], ['plu:'], ['plu:   '], ['Plu:x'], [''], [42], [null]])(
    'answers %p with a validation error on ref, never throwing or echoing it',
    (ref) => {
      const parsed = parseUserRef(ref);
      expect(E.isLeft(parsed) && parsed.left.kind).toBe('validation');
      if (E.isLeft(parsed)) {
        expect(parsed.left.issues.map((issue) => issue.path)).toEqual(['ref']);
        if (typeof ref === 'string' && ref !== '') expect(JSON.stringify(parsed.left)).not.toContain(ref);
      }
    },
  );

  it('never throws on any input', () => {
    fc.assert(fc.property(fc.anything(), (input) => void parseUserRef(input)));
  });

  it('reads a ref as qualified only when its prefix is a known provider', () => {
    expect(readUserRef('plaid:u-1')).toEqual({ qualified: true, provider: 'plaid', id: 'u-1' });
    expect(readUserRef('order:42')).toEqual({ qualified: false, id: 'order:42' });
    expect(readUserRef('acme:42', ['acme'])).toEqual({ qualified: true, provider: 'acme', id: '42' });
    expect(readUserRef('acme-user-42')).toEqual({ qualified: false, id: 'acme-user-42' });
  });
});

const APPROVED: KycState = {
  status: 'approved',
  providerStatus: 'ok',
  reasonCodes: [],
  nextAction: { type: 'none' },
};

function recordingProvider(seen: string[]): KycProviderWithWebhooks {
  const result = (ref: UserRef) => TE.right({ provider: 'plu', userRef: ref, state: APPROVED, raw: {} });
  return {
    id: 'plu',
    capabilities: {} as KycProviderWithWebhooks['capabilities'],
    createUser: () =>
      TE.right({ provider: 'plu', userRef: userRef('acme-user-1'), state: APPROVED, raw: {} }),
    getStatus: (ref) => (seen.push(ref), result(ref)),
    submitVerification: (ref) => (seen.push(ref), result(ref)),
    retry: (ref) => (
      seen.push(ref),
      TE.left(
        kycError('conflict', { provider: 'plu', message: 'plu: conflict', retryable: false, userRef: ref }),
      )
    ),
    webhooks: {
      provider: 'plu',
      parseWebhook: () =>
        TE.right({
          provider: 'plu',
          type: 't',
          dedupeKey: 'k',
          dedupeKeyStrength: 'exact',
          userRef: userRef('acme-user-2'),
          raw: {},
          stateIncluded: true,
          state: APPROVED,
        }),
    },
    close: () => undefined,
  };
}

describe('withQualifiedRefs', () => {
  it('hands out qualified refs from results, errors and webhook events', async () => {
    const provider = withQualifiedRefs(recordingProvider([]));
    expect(await provider.createUser({} as never)()).toMatchObject(E.right({ userRef: 'plu:acme-user-1' }));
    const refused = await provider.retry(userRef('plu:acme-user-1'))();
    expect(refused).toMatchObject(E.left({ userRef: 'plu:acme-user-1' }));
    expect(E.isLeft(refused) && isKycError(refused.left)).toBe(true);
    const event = await provider.webhooks.parseWebhook({ headers: {}, rawBody: '' })();
    expect(event).toMatchObject(E.right({ userRef: 'plu:acme-user-2' }));
  });

  it('gives the adapter the bare id of its own qualified ref, and a bare (legacy) ref as it is', async () => {
    const seen: string[] = [];
    const provider = withQualifiedRefs(recordingProvider(seen));
    expect(await provider.getStatus(userRef('plu:acme-user-1'))()).toMatchObject(
      E.right({ userRef: 'plu:acme-user-1' }),
    );
    expect(await provider.getStatus(userRef('acme-user-9'))()).toMatchObject(
      E.right({ userRef: 'plu:acme-user-9' }),
    );
    expect(await provider.getStatus(userRef('plu:plu:odd'))()).toMatchObject(
      E.right({ userRef: 'plu:plu:odd' }),
    );
    expect(seen).toEqual(['acme-user-1', 'acme-user-9', 'plu:odd']);
  });

  it.each(['p100', 'plaid', 'fake'])(
    'refuses a %s ref with a validation error naming it, making no call',
    async (other) => {
      const seen: string[] = [];
      const provider = withQualifiedRefs(recordingProvider(seen));
      for (const call of [
        provider.getStatus,
        provider.retry,
        (ref: UserRef) => provider.submitVerification(ref, {}),
      ]) {
        const answer = await call(userRef(`${other}:u-1`))();
        expect(answer).toMatchObject(
          E.left({ kind: 'validation', provider: 'plu', retryable: false, outcome: 'not_sent' }),
        );
        if (E.isLeft(answer)) expect(answer.left.message).toContain(`"${other}"`);
      }
      expect(seen).toEqual([]);
    },
  );
});

describe('withQualifiedRefs: edges', () => {
  it('refuses a ref that names the provider but no id, with no call', async () => {
    const seen: string[] = [];
    const provider = withQualifiedRefs(recordingProvider(seen));
    for (const ref of ['plu:', 'plu:   ']) {
      expect(await provider.getStatus(userRef(ref))()).toMatchObject(
        E.left({ kind: 'validation', issues: [{ path: 'ref' }] }),
      );
    }
    expect(seen).toEqual([]);
  });

  it("keeps a result's lazy raw unevaluated when it qualifies the ref", async () => {
    let redactions = 0;
    const inner = recordingProvider([]);
    const lazy = withQualifiedRefs({
      ...inner,
      getStatus: (ref: UserRef) =>
        TE.right(
          Object.defineProperty({ provider: 'plu', userRef: ref, state: APPROVED }, 'raw', {
            enumerable: true,
            get: () => (redactions += 1),
          }) as never,
        ),
    });
    const result = await lazy.getStatus(userRef('plu:u-1'))();
    expect(result).toMatchObject(E.right({ userRef: 'plu:u-1' }));
    expect(redactions).toBe(0);
    expect(E.isRight(result) && (result.right as { raw: unknown }).raw).toBe(1);
  });
});
