/**
 * The Plu simulator's control methods: the end user's hosted flow and direct state changes, each
 * announced with a `user.kyc-event` webhook.
 */
import { SimulatorControlError } from '../provider-simulator';
import type { SimulatedOutcome } from '../provider-simulator';
import { PLU_SIMULATOR_DENIAL_REASON, PLU_SIMULATOR_PERSONA_FAILED_REASON } from './plu-settings';
import {
  PLU_SIMULATOR_STATES,
  isPluSimulatorState,
  listedStatus,
  newInquiry,
  pluSimulatorOutcome,
  pluUserOf,
} from './plu-state';
import type { PluSimulatorContext, PluSimulatorOutcome, PluSimulatorState, PluUserRecord } from './plu-state';
import { announcePluUser } from './plu-webhooks';

function verdictOf(user: PluUserRecord, outcome: SimulatedOutcome | undefined): PluSimulatorOutcome {
  const verdict: PluSimulatorOutcome = outcome ?? pluSimulatorOutcome(user.lastName) ?? 'approved';
  // The additional verification asked for by the keyword is asked once per attempt; completing it approves.
  return outcome === undefined && verdict === 'needsVerification' && user.extraVerificationAsked
    ? 'approved'
    : verdict;
}

export async function completePluHostedFlow(
  context: PluSimulatorContext,
  ref: string,
  outcome?: SimulatedOutcome,
): Promise<void> {
  const user = pluUserOf(context, ref);
  if (user.state !== 'pending_kyc' && user.state !== 'needsVerification') {
    throw new SimulatorControlError(
      `plu simulator: no KYC attempt in progress for ${ref} (status ${listedStatus(user.state)}); ` +
        'a denied user needs POST .../retry-kyc first',
      400,
    );
  }
  const verdict = verdictOf(user, outcome);
  if (verdict === 'needsVerification') {
    user.extraVerificationAsked = true;
    newInquiry(context, user);
  }
  user.state = verdict;
  if (verdict === 'denied') user.reason = PLU_SIMULATOR_DENIAL_REASON;
  else delete user.reason;
  announcePluUser(context, user);
}

function reasonFor(state: PluSimulatorState): string | undefined {
  if (state === 'denied') return PLU_SIMULATOR_DENIAL_REASON;
  if (state === 'persona_failed') return PLU_SIMULATOR_PERSONA_FAILED_REASON;
  return undefined;
}

export async function setPluUserState(
  context: PluSimulatorContext,
  ref: string,
  state: string,
): Promise<void> {
  const user = pluUserOf(context, ref);
  if (!isPluSimulatorState(state)) {
    throw new SimulatorControlError(
      `plu simulator: unknown state ${state}; expected one of ${PLU_SIMULATOR_STATES.join(', ')}`,
      400,
    );
  }
  if (user.state === state) return;
  user.state = state;
  user.reason = reasonFor(state);
  if (state === 'needsVerification') {
    user.extraVerificationAsked = true;
    newInquiry(context, user);
  }
  announcePluUser(context, user);
}
