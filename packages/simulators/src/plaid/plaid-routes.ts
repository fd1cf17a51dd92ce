/**
 * The Plaid endpoints the simulator serves: `/identity_verification/{create,get,list,retry}` and
 * `/webhook_verification_key/get`, with the hosted-flow page behind `shareable_url`. Sources:
 * https://plaid.com/docs/api/products/identity-verification/,
 * https://plaid.com/docs/api/webhooks/webhook-verification/.
 */
import type { Route, SimulatorResponse } from '../simulator-server';
import { asRecord } from '../simulator-wire';
import { newAttempt, templatePlan } from './plaid-attempts';
import { missingOf, plaidEndpoint, templateProblem } from './plaid-endpoint';
import type { PlaidBody } from './plaid-endpoint';
import { plaidHostedRoutes } from './plaid-hosted-page';
import { plaidRetry } from './plaid-retry';
import { attemptResponse, latestOf, recordAttempt, viewOf } from './plaid-state';
import type { PlaidSimulatorContext } from './plaid-state';
import { checkUser, invalidField, missingFields, plaidError, requestId } from './plaid-wire';

const CREATE_FIELDS = [
  'client_id',
  'secret',
  'client_user_id',
  'user_id',
  'is_shareable',
  'template_id',
  'gave_consent',
  'user',
  'is_idempotent',
];
const GET_FIELDS = ['client_id', 'secret', 'identity_verification_id'];
const LIST_FIELDS = ['client_id', 'secret', 'template_id', 'client_user_id', 'user_id', 'cursor'];
const KEY_FIELDS = ['client_id', 'secret', 'key_id'];

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/** The create body's own checks (before the user), or the client_user_id it is for. */
function checkCreate(
  context: PlaidSimulatorContext,
  body: PlaidBody,
): SimulatorResponse | { clientUserId: string } {
  const clientUserId = body.client_user_id ?? asRecord(body.user)?.client_user_id;
  const missing = [
    ...(isSet(clientUserId) ? [] : ['client_user_id']),
    ...missingOf(body, ['is_shareable', 'template_id', 'gave_consent']),
  ];
  if (missing.length > 0) return missingFields(missing);
  if (typeof clientUserId !== 'string' || clientUserId.trim() === '')
    return invalidField('client_user_id must be a non-empty string');
  if (typeof body.is_shareable !== 'boolean') return invalidField('is_shareable must be a boolean');
  if (typeof body.gave_consent !== 'boolean') return invalidField('gave_consent must be a boolean');
  if (isSet(body.is_idempotent) && typeof body.is_idempotent !== 'boolean')
    return invalidField('is_idempotent must be a boolean');
  if (isSet(body.user_id) && typeof body.user_id !== 'string')
    return invalidField('user_id must be a string');
  if (typeof body.user_id === 'string' && isSet(body.user))
    return invalidField('user must not be provided when user_id is provided; use /user/update');
  return templateProblem(context, body.template_id) ?? { clientUserId };
}

function create(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse {
  const checked = checkCreate(context, body);
  if (!('clientUserId' in checked)) return checked;
  const checkedUser = checkUser(body.user);
  if (!checkedUser.ok) return checkedUser.error;
  const existing = latestOf(context, checked.clientUserId);
  if (existing) {
    if (body.is_idempotent === true) return attemptResponse(context, existing);
    return invalidField(
      'an Identity Verification already exists for this client_user_id and template_id; send is_idempotent: true to receive it',
    );
  }
  const attempt = newAttempt({
    clientUserId: checked.clientUserId,
    userId: typeof body.user_id === 'string' ? body.user_id : null,
    previousAttemptId: null,
    isShareable: body.is_shareable as boolean,
    gaveConsent: body.gave_consent as boolean,
    user: checkedUser.value ?? {},
    plan: templatePlan(body.gave_consent as boolean),
  });
  recordAttempt(context, attempt);
  return attemptResponse(context, attempt);
}

function get(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse {
  const missing = missingOf(body, ['identity_verification_id']);
  if (missing.length > 0) return missingFields(missing);
  if (typeof body.identity_verification_id !== 'string')
    return invalidField('identity_verification_id must be a string');
  const attempt = context.byId.get(body.identity_verification_id);
  if (!attempt) return invalidField('identity_verification_id does not match any Identity Verification');
  return attemptResponse(context, attempt);
}

/** The offset a cursor points at; `undefined` when it is not one this request's filter issued. */
function cursorOffset(cursor: string, filter: string): number | undefined {
  let decoded: { o?: unknown; f?: unknown } | undefined;
  try {
    decoded = asRecord(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    decoded = undefined;
  }
  return decoded && typeof decoded.o === 'number' && decoded.f === filter ? decoded.o : undefined;
}

function list(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse {
  const missing = missingOf(body, ['template_id']);
  if (missing.length > 0) return missingFields(missing);
  // IdentityVerificationListRequest: "Either a user_id or the client_user_id must be provided."
  // The answer is not documented: MISSING_FIELDS, Plaid's code for a required field left out (an assumption).
  if (!isSet(body.client_user_id) && !isSet(body.user_id))
    return missingFields(['client_user_id or user_id']);
  const problem = templateProblem(context, body.template_id);
  if (problem) return problem;
  for (const key of ['client_user_id', 'user_id', 'cursor']) {
    if (isSet(body[key]) && typeof body[key] !== 'string') return invalidField(`${key} must be a string`);
  }
  const clientUserId = body.client_user_id as string | undefined;
  const userId = body.user_id as string | undefined;
  const filter = `${clientUserId ?? ''}|${userId ?? ''}`;
  const offset =
    typeof body.cursor === 'string' && body.cursor !== '' ? cursorOffset(body.cursor, filter) : 0;
  if (offset === undefined) return invalidField('cursor is not valid for this request');
  const all = [...context.histories.values()]
    .flat()
    .filter(
      (attempt) =>
        (clientUserId === undefined || attempt.clientUserId === clientUserId) &&
        (userId === undefined || attempt.userId === userId),
    )
    .sort((left, right) => left.createdAt.localeCompare(right.createdAt));
  const end = offset + context.pageSize;
  return {
    status: 200,
    body: {
      identity_verifications: all.slice(offset, end).map((attempt) => viewOf(context, attempt)),
      next_cursor:
        end < all.length ? Buffer.from(JSON.stringify({ o: end, f: filter })).toString('base64url') : null,
      request_id: requestId(),
    },
  };
}

function verificationKey(context: PlaidSimulatorContext, body: PlaidBody): SimulatorResponse {
  const missing = missingOf(body, ['key_id']);
  if (missing.length > 0) return missingFields(missing);
  if (body.key_id !== context.signing.kid) {
    return plaidError(
      'INVALID_INPUT',
      'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
      'invalid key_id provided. note that key_ids are specific to Plaid environments, and verification requests must be made to the same environment that the webhook was sent from',
    );
  }
  return { status: 200, body: { key: { ...context.signing.webhookKey }, request_id: requestId() } };
}

export function plaidRoutes(context: PlaidSimulatorContext): ReadonlyArray<Route> {
  return [
    plaidEndpoint('/identity_verification/create', CREATE_FIELDS, (body) => create(context, body)),
    plaidEndpoint('/identity_verification/get', GET_FIELDS, (body) => get(context, body)),
    plaidEndpoint('/identity_verification/list', LIST_FIELDS, (body) => list(context, body)),
    plaidRetry(context),
    plaidEndpoint('/webhook_verification_key/get', KEY_FIELDS, (body) => verificationKey(context, body)),
    ...plaidHostedRoutes(context),
  ];
}
