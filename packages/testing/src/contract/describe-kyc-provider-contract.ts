/**
 * The shared contract every adapter passes (and third-party adapters can run): each port's happy
 * path, documented failures mapped to the right kind, bad input rejected before any call,
 * unsupported operations reported as such, webhooks accepted only when authentic, refs that name
 * their provider, and no secret or personal data in any error. The groups are in contract-groups.ts.
 */
import { personalDataOf } from './contract-assertions';
import type { ContractSuite } from './contract-assertions';
import {
  describeCapabilities,
  describeDocumentedFailures,
  describeHappyPaths,
  describeInputValidation,
  describeUnsupported,
  describeWebhooks,
} from './contract-groups';
import { describeQualifiedRefs } from './contract-refs';
import { describeHostileInput, describeOutcomes, describeWebhookRobustness } from './contract-robustness';
import type { ContractHarness } from './harness';

/**
 * Declares the adapter contract as a jest suite named `name`, over the harness `setup` gives: every
 * adapter (and a third-party one) runs it.
 */
export function describeKycProviderContract(
  name: string,
  setup: () => ContractHarness | Promise<ContractHarness>,
): void {
  describe(`${name}: KycProvider contract`, () => {
    let harness: ContractHarness;
    let needles: string[] = [];

    beforeAll(async () => {
      harness = await setup();
      needles = [...harness.secrets, ...personalDataOf(harness.validInput)];
    });
    afterEach(async () => {
      await harness.afterEach?.();
    });
    afterAll(async () => {
      await harness?.close?.();
    });

    const current = (): ContractSuite => ({ harness, needles });
    describeCapabilities(current);
    describeHappyPaths(current);
    describeDocumentedFailures(current);
    describeInputValidation(current);
    describeUnsupported(current);
    describeWebhooks(current);
    describeOutcomes(current);
    describeHostileInput(current);
    describeWebhookRobustness(current);
    describeQualifiedRefs(current);
  });
}
