/**
 * The Plaid simulator's control methods: the end user's hosted flow (decided by the outcome or the
 * sandbox convention) and direct status changes (`<status>` or `failed:<step>`), as "via the
 * dashboard or the API".
 */
import { SimulatorControlError } from '../provider-simulator';
import type { SimulatedOutcome } from '../provider-simulator';
import {
  PLAID_STATUSES,
  PLAID_STEPS,
  failingStepFor,
  moveAttempt,
  plaidConventionalOutcome,
} from './plaid-attempts';
import type { Attempt, Phase, PlaidStatus, PlaidStep } from './plaid-attempts';
import { requireLatest, transition } from './plaid-state';
import type { PlaidSimulatorContext } from './plaid-state';

export async function completePlaidHostedFlow(
  context: PlaidSimulatorContext,
  ref: string,
  outcome?: SimulatedOutcome,
): Promise<void> {
  const latest = requireLatest(context, ref);
  if (latest.status !== 'active') {
    throw new SimulatorControlError(
      `the latest Identity Verification of ${ref} is ${latest.status}; only an active attempt has a hosted flow to complete (retry first)`,
      400,
    );
  }
  const convention = plaidConventionalOutcome(latest.user);
  const decided = outcome ?? convention.outcome;
  if (decided === 'approved') {
    transition(context, latest, { kind: 'success' }, true);
  } else {
    const preferred = convention.failingStep ?? 'documentary_verification';
    transition(context, latest, { kind: 'failed', step: failingStepFor(latest.plan, preferred) }, true);
  }
}

/** Parses a `setUserState` state: a status, or `failed:<step>` to choose the failing step. */
function parseState(state: string): { status: PlaidStatus; step?: PlaidStep } | undefined {
  const [status, step] = state.split(':');
  if (!(PLAID_STATUSES as ReadonlyArray<string>).includes(status ?? '')) return undefined;
  if (step === undefined) return { status: status as PlaidStatus };
  if (status !== 'failed' || !(PLAID_STEPS as ReadonlyArray<string>).includes(step)) return undefined;
  return { status: 'failed', step: step as PlaidStep };
}

function phaseOf(latest: Attempt, parsed: { status: PlaidStatus; step?: PlaidStep }): Phase {
  if (parsed.status !== 'failed') return { kind: parsed.status };
  const step = parsed.step ?? failingStepFor(latest.plan, 'documentary_verification');
  if (latest.plan[step] !== 'required')
    throw new SimulatorControlError(`step ${step} is ${latest.plan[step]} in this attempt`, 400);
  return { kind: 'failed', step };
}

export async function setPlaidUserState(
  context: PlaidSimulatorContext,
  ref: string,
  state: string,
): Promise<void> {
  const latest = requireLatest(context, ref);
  const parsed = parseState(state);
  if (!parsed) {
    throw new SimulatorControlError(
      `unknown state ${state}: expected one of ${PLAID_STATUSES.join(', ')} or failed:<step> (${PLAID_STEPS.join(', ')})`,
      400,
    );
  }
  const phase = phaseOf(latest, parsed);
  if (phase.kind === 'expired' || phase.kind === 'canceled') {
    if (latest.status !== 'active' && latest.status !== phase.kind)
      // Only an unfinished attempt expires or is canceled: restart it first so its steps read sensibly.
      moveAttempt(latest, { kind: 'active' });
  }
  // A status change made "via the dashboard or the API": STATUS_UPDATED when the status changes.
  transition(context, latest, phase, false);
}
