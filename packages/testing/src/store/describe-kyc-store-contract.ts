/**
 * The contract every `KycStore` passes (the memory store, `@kycport/store-postgres`, a host's own):
 * every `apply` outcome, ordering (ties and missing times included), the version guard, dedupe
 * keys, the outbox (claims, leases, completion, retries) and stale-user sweeps, concurrent claims,
 * and properties over any order of arrival. The rules are in docs/tracking.md.
 *
 * `setup` runs before each test and must give an empty store (or one no other test writes to at the
 * same time: refs are unique per test, but outbox claims see every change). All times are passed
 * in as `now`; nothing here reads the wall clock.
 */
import type { KycStoreContractOptions, KycStoreContractSetup } from './store-contract-kit';
import { describeApplyOutcomes, describeDedupe, describeVersionGuard } from './store-contract-apply';
import { describeOrderingByTime, describeOrderingTies } from './store-contract-ordering';
import { describeOutbox, describeStaleUsers } from './store-contract-outbox';
import { describeOrderingProperties } from './store-contract-properties';

export type { KycStoreContractOptions, KycStoreContractSetup } from './store-contract-kit';

/**
 * Declares the `KycStore` contract as a jest suite named `name`: `setup` gives a fresh store before
 * each test. Run it on a host's own store to check it behaves like the shipped ones.
 */
export function describeKycStoreContract(
  name: string,
  setup: () => Promise<KycStoreContractSetup>,
  options: KycStoreContractOptions = {},
): void {
  describe(`${name}: KycStore contract`, () => {
    let opened: KycStoreContractSetup | undefined;
    beforeEach(async () => {
      opened = await setup();
    });
    afterEach(async () => {
      await opened?.close?.();
      opened = undefined;
    });
    const current = () => {
      if (opened === undefined) throw new Error('the store contract setup did not run');
      return opened.store;
    };
    describeApplyOutcomes(current);
    describeVersionGuard(current);
    describeDedupe(current);
    describeOrderingByTime(current);
    describeOrderingTies(current);
    describeOutbox(current);
    describeStaleUsers(current);
    describeOrderingProperties(current, options);
  });
}
