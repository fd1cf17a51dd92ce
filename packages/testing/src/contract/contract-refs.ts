/**
 * Contract group for provider-qualified refs (docs/migration.md): a ref of a provider that is not
 * this one (nor, behind a router, configured beside it) is refused before any call, so a ref can
 * never reach the wrong provider's API. A bulk read, where declared, answers every ref in order.
 * That every ref handed out names its provider is checked with the happy paths.
 */
import { formatUserRef } from '@kycport/core';
import { expectLeft, expectRight, invoke } from './contract-assertions';
import type { ContractSuite } from './contract-assertions';
import type { PortOperation } from './harness';

const REF_OPERATIONS: ReadonlyArray<PortOperation> = ['getStatus', 'retry', 'submitVerification'];

/** A built-in id that is not this provider's: `fake`, which no real deployment configures beside it. */
function otherProvider(id: string): string {
  return id === 'fake' ? 'plaid' : 'fake';
}

export function describeQualifiedRefs(current: () => ContractSuite): void {
  describe('provider-qualified refs', () => {
    it("refuses another provider's ref as validation naming that provider, before any call", async () => {
      const { harness } = current();
      const other = otherProvider(harness.provider.id);
      for (const operation of REF_OPERATIONS) {
        const before = harness.callCount();
        const error = expectLeft(
          await invoke(harness.provider, operation, formatUserRef(other, 'someone-else'), {}, undefined)(),
        );
        expect([operation, error.kind]).toEqual([operation, 'validation']);
        expect(error.message).toContain(`"${other}"`);
        expect(harness.callCount()).toBe(before);
      }
    });

    it('answers every ref of a bulk read in order, where it declares one', async () => {
      const { harness } = current();
      const bulk = harness.provider.getStatuses;
      if (bulk === undefined) return;
      expect(harness.provider.capabilities.bulkStatus?.pageSize).toBeGreaterThan(0);
      const foreign = formatUserRef(otherProvider(harness.provider.id), 'someone-else');
      const before = harness.callCount();
      const entries = expectRight(await bulk([foreign])()) as ReadonlyArray<{
        ref: string;
        error?: { kind: string };
      }>;
      expect(entries.map((entry) => [entry.ref, entry.error?.kind])).toEqual([[foreign, 'validation']]);
      expect(harness.callCount()).toBe(before);
    });
  });
}
