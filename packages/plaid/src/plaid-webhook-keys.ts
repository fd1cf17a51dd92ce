/**
 * The webhook verification keys by `kid`, at a bounded cost: a key Plaid returned is cached; a
 * `kid` Plaid said it does not know is remembered for `PLAID_UNKNOWN_KID_TTL_MS` (a negative cache);
 * concurrent lookups of one `kid` share one fetch; and every `/webhook_verification_key/get` call
 * takes one slot of a budget of `fetchesPerMinute` calls in any 60 seconds. A token with a new
 * `kid` is unauthenticated input, so without these bounds each forgery would cost the host a call
 * to Plaid (https://plaid.com/docs/api/webhooks/webhook-verification/ says to fetch unknown kids).
 */
import * as E from 'fp-ts/Either';
import type * as TE from 'fp-ts/TaskEither';
import type { KycError } from '@kycport/core';
import type { PlaidJwkPublicKey } from './plaid-api';
import { PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE } from './plaid-config';
import { plaidWebhookRejected as rejected } from './plaid-error';

/** How long a `kid` Plaid did not know is refused without asking again. */
export const PLAID_UNKNOWN_KID_TTL_MS = 10 * 60_000;
/** The window of the fetch budget. */
export const PLAID_KEY_FETCH_WINDOW_MS = 60_000;
/** Entries of the negative cache at most (the budget already bounds it; this is a second fence). */
const MAX_UNKNOWN_KIDS = 10_000;
/** Keys kept at most: Plaid signs with a handful; the oldest goes first beyond this. */
export const PLAID_MAX_CACHED_KEYS = 50;

export interface PlaidKeyLookupOptions {
  /** `POST /webhook_verification_key/get` for one key id. */
  readonly fetchKey: (keyId: string) => TE.TaskEither<KycError, PlaidJwkPublicKey>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Key fetches allowed in any 60 seconds (default `PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE`). */
  readonly fetchesPerMinute?: number;
  /** How long an unknown `kid` is refused without a fetch (default `PLAID_UNKNOWN_KID_TTL_MS`). */
  readonly unknownKidTtlMs?: number;
}

export interface PlaidKeyLookup {
  /** The key for `kid`, from the cache or Plaid; a refused or failed lookup is already a rejection. */
  keyFor(kid: string): TE.TaskEither<KycError, PlaidJwkPublicKey>;
  /** Drops cached keys, unknown kids and the spent budget (tests, key rotation drills). */
  clear(): void;
}

/** A sliding window: `take()` is true while fewer than `limit` fetches happened in the last window. */
function fetchBudget(limit: number, now: () => number) {
  const times: number[] = [];
  return {
    take(): boolean {
      const at = now();
      while (times.length > 0 && (times[0] ?? at) <= at - PLAID_KEY_FETCH_WINDOW_MS) times.shift();
      if (times.length >= limit) return false;
      times.push(at);
      return true;
    },
    clear: (): void => {
      times.length = 0;
    },
  };
}

/** Kids Plaid did not know, each until a deadline; the oldest entry goes first when full. */
function unknownKids(ttlMs: number, now: () => number) {
  const until = new Map<string, number>();
  return {
    has(kid: string): boolean {
      const deadline = until.get(kid);
      if (deadline === undefined) return false;
      if (deadline > now()) return true;
      until.delete(kid);
      return false;
    },
    add(kid: string): void {
      until.delete(kid);
      until.set(kid, now() + ttlMs);
      if (until.size > MAX_UNKNOWN_KIDS) {
        const oldest = until.keys().next();
        if (oldest.done !== true) until.delete(oldest.value);
      }
    },
    clear: (): void => until.clear(),
  };
}

/** Why a key fetch failed decides whether Plaid's re-delivery can succeed (`retryable`). */
function keyFetchRejection(error: KycError): KycError {
  const context = {
    providerCode: error.providerCode,
    httpStatus: error.httpStatus,
    requestId: error.requestId,
  };
  if (error.retryable)
    return rejected('the webhook verification key could not be fetched', { ...context, retryable: true });
  return rejected('Plaid did not return a verification key for the token kid', context);
}

export function createPlaidKeyLookup(options: PlaidKeyLookupOptions): PlaidKeyLookup {
  const { fetchKey, now } = options;
  const limit = options.fetchesPerMinute ?? PLAID_WEBHOOK_KEY_FETCHES_PER_MINUTE;
  const keys = new Map<string, PlaidJwkPublicKey>();
  const unknown = unknownKids(options.unknownKidTtlMs ?? PLAID_UNKNOWN_KID_TTL_MS, now);
  const budget = fetchBudget(limit, now);
  const inFlight = new Map<string, Promise<E.Either<KycError, PlaidJwkPublicKey>>>();

  /**
   * Plaid's reference code re-fetches every cached key that is not yet expired on an unknown kid,
   * to learn about expiries. kycport does it once Plaid has confirmed the new kid (a rotation), not
   * for every unknown kid (a forgery would cost one call per cached key), and within the budget.
   */
  const refreshOthers = async (kid: string): Promise<void> => {
    const others = [...keys.values()].filter((key) => key.kid !== kid && key.expired_at === null);
    for (const other of others) {
      if (!budget.take()) return;
      const result = await fetchKey(other.kid)();
      if (E.isRight(result) && result.right.kid === other.kid) keys.set(other.kid, result.right);
    }
  };

  const fetchNew = async (kid: string): Promise<E.Either<KycError, PlaidJwkPublicKey>> => {
    const fetched = await fetchKey(kid)();
    if (E.isLeft(fetched)) {
      if (!fetched.left.retryable) unknown.add(kid);
      return E.left(keyFetchRejection(fetched.left));
    }
    if (fetched.right.kid !== kid) {
      unknown.add(kid);
      return E.left(rejected('Plaid returned a key for another kid'));
    }
    keys.set(kid, fetched.right);
    if (keys.size > PLAID_MAX_CACHED_KEYS) keys.delete(keys.keys().next().value ?? kid);
    await refreshOthers(kid);
    return E.right(fetched.right);
  };

  const lookUp = (kid: string): Promise<E.Either<KycError, PlaidJwkPublicKey>> => {
    const cached = keys.get(kid);
    if (cached !== undefined) return Promise.resolve(E.right(cached));
    if (unknown.has(kid)) {
      const message = 'Plaid did not know the token kid when it was last asked (negative cache)';
      return Promise.resolve(E.left(rejected(message)));
    }
    const pending = inFlight.get(kid);
    if (pending !== undefined) return pending;
    if (!budget.take()) {
      const message = `${limit} webhook key fetches in the last minute (webhookKeyFetchesPerMinute): the new kid is not looked up now; Plaid re-delivers a genuine webhook`;
      return Promise.resolve(E.left(rejected(message, { retryable: true })));
    }
    const started = fetchNew(kid).finally(() => inFlight.delete(kid));
    inFlight.set(kid, started);
    return started;
  };

  return {
    keyFor: (kid) => () => lookUp(kid),
    clear: () => {
      keys.clear();
      unknown.clear();
      budget.clear();
    },
  };
}
