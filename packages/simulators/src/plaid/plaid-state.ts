/**
 * What the Plaid simulator remembers: every user's attempt history (oldest first) and the attempts
 * by id; with the moves of an attempt that send the STEP_UPDATED / STATUS_UPDATED webhooks.
 */
import { SimulatorControlError } from '../provider-simulator';
import type { SimulatorResponse } from '../simulator-server';
import type { WebhookDeliverer } from '../webhook-deliverer';
import { attemptView } from './plaid-attempt-view';
import { PLAID_STEPS, moveAttempt } from './plaid-attempts';
import type { Attempt, Phase, Steps } from './plaid-attempts';
import { PLAID_SIMULATOR_LIST_PAGE_SIZE, PLAID_SIMULATOR_TEMPLATE_ID } from './plaid-settings';
import type { PlaidRefusalStyle, PlaidSimulatorOptions } from './plaid-settings';
import { requestId } from './plaid-wire';
import { sendPlaidWebhook } from './plaid-webhooks';
import type { PlaidWebhookSigning } from './plaid-webhooks';

/** The simulator's settings and memory, shared by its routes and its control methods. */
export interface PlaidSimulatorContext {
  readonly templateId: string;
  /** The wording of the undocumented refusals. */
  readonly refusalStyle: PlaidRefusalStyle;
  readonly pageSize: number;
  readonly stepWebhooks: boolean;
  /** Attempts by client_user_id, oldest first. */
  readonly histories: Map<string, Attempt[]>;
  readonly byId: Map<string, Attempt>;
  readonly signing: PlaidWebhookSigning;
  readonly deliverer: WebhookDeliverer;
  /** The server's base URL (for the URLs in attempts), set once it listens. */
  baseUrl: string;
}

export function createPlaidContext(
  options: PlaidSimulatorOptions,
  signing: PlaidWebhookSigning,
  deliverer: WebhookDeliverer,
): PlaidSimulatorContext {
  return {
    templateId: PLAID_SIMULATOR_TEMPLATE_ID,
    refusalStyle: options.refusalStyle ?? 'field_named',
    pageSize: Math.max(1, Math.floor(options.listPageSize ?? PLAID_SIMULATOR_LIST_PAGE_SIZE)),
    stepWebhooks: options.stepUpdatedWebhooks ?? true,
    histories: new Map(),
    byId: new Map(),
    signing,
    deliverer,
    baseUrl: '',
  };
}

export function latestOf(context: PlaidSimulatorContext, ref: string): Attempt | undefined {
  const history = context.histories.get(ref);
  return history?.[history.length - 1];
}

/** The latest attempt, or a 404 for the control API. */
export function requireLatest(context: PlaidSimulatorContext, ref: string): Attempt {
  const latest = latestOf(context, ref);
  if (!latest) throw new SimulatorControlError(`no Identity Verification for client_user_id ${ref}`, 404);
  return latest;
}

export function recordAttempt(context: PlaidSimulatorContext, attempt: Attempt): void {
  const history = context.histories.get(attempt.clientUserId) ?? [];
  history.push(attempt);
  context.histories.set(attempt.clientUserId, history);
  context.byId.set(attempt.id, attempt);
}

export function viewOf(context: PlaidSimulatorContext, attempt: Attempt): Record<string, unknown> {
  return attemptView(attempt, context.templateId, context.baseUrl);
}

/** The answer of get, create and retry: the attempt with a `request_id`. */
export function attemptResponse(context: PlaidSimulatorContext, attempt: Attempt): SimulatorResponse {
  return { status: 200, body: { ...viewOf(context, attempt), request_id: requestId() } };
}

/** Moves the attempt and sends STEP_UPDATED for each step the user finished, then STATUS_UPDATED. */
export function transition(
  context: PlaidSimulatorContext,
  attempt: Attempt,
  phase: Phase,
  stepUpdates: boolean,
): void {
  const before: Steps = { ...attempt.steps };
  const statusBefore = attempt.status;
  moveAttempt(attempt, phase);
  if (stepUpdates && context.stepWebhooks) {
    for (const step of PLAID_STEPS) {
      const after = attempt.steps[step];
      if (after !== before[step] && ['success', 'failed', 'pending_review'].includes(after))
        sendPlaidWebhook(context.deliverer, 'STEP_UPDATED', attempt);
    }
  }
  if (attempt.status !== statusBefore) sendPlaidWebhook(context.deliverer, 'STATUS_UPDATED', attempt);
}
