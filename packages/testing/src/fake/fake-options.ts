/** What a host may pass to the fake per call: `providerOptions.fake`. */
import * as t from 'io-ts';

/** How a hosted flow ends when `control.completeHostedFlow` is called without an explicit outcome. */
export type FakeOutcome = 'approved' | 'denied' | 'in_review' | 'expired';

/** Codec of `providerOptions.fake`: the outcomes of the user's successive attempts. */
export const FakeProviderOptions = t.partial({
  /** Outcomes of the successive attempts, e.g. `['denied', 'approved']`. Default: approved. */
  outcomes: t.array(t.keyof({ approved: null, denied: null, in_review: null, expired: null })),
});
/** The fake's per-call options (`providerOptions.fake`). */
export type FakeProviderOptions = t.TypeOf<typeof FakeProviderOptions>;
