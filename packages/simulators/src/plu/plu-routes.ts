/**
 * The Plu endpoints the simulator serves (create user, list users, retry KYC) behind Plu's Bearer
 * check, and the stand-in Persona page. Sources: https://docs.getplu.com/api-reference/users/create-user,
 * .../users/list-users, .../users/retry-kyc.
 */
import type { Route, RouteHandler, SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { requestHeader } from '../simulator-wire';
import { PLU_SIMULATOR_API_KEY } from './plu-settings';
import { keyReused, listedStatus, newInquiry, newServiceId, rememberKey } from './plu-state';
import type { PluSimulatorContext, PluUserRecord } from './plu-state';
import { pluVerificationPage } from './plu-verification-page';
import { PLU_SIM_CODES, PLU_SIM_PATHS, checkCreateUserBody, pluError, pluSuccess } from './plu-wire';

type PluHandler = (context: PluSimulatorContext, request: SimulatorRequest) => SimulatorResponse;

/** Plu's Bearer check: a missing or different key answers 401 in the error envelope. */
function authenticated(context: PluSimulatorContext, handler: PluHandler): RouteHandler {
  return (request) => {
    const authorization = requestHeader(request, 'authorization');
    if (authorization === undefined || authorization.trim() === '')
      return pluError(401, PLU_SIM_CODES.unauthorized, 'Missing API key');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (match?.[1] !== PLU_SIMULATOR_API_KEY)
      return pluError(401, PLU_SIM_CODES.unauthorized, 'Invalid API key');
    return handler(context, request);
  };
}

/** "400: Same key + same body (duplicate request)" (https://docs.getplu.com/errors); the code is a variant. */
function reusedKeyError(context: PluSimulatorContext): SimulatorResponse {
  const text = 'This idempotency-key was already used in the last 5 minutes (duplicate request)';
  switch (context.keyReuseRefusal) {
    case 'named-code':
      return pluError(400, PLU_SIM_CODES.idempotencyKeyReused, text);
    case 'bare-400':
      return { status: 400 };
    case 'generic-code':
      return pluError(400, PLU_SIM_CODES.badRequest, text);
  }
}

/** Reads a non-negative integer query parameter; `undefined` when absent, `null` when invalid. */
function queryInteger(request: SimulatorRequest, name: string): number | undefined | null {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function emailTaken(context: PluSimulatorContext, email: string): boolean {
  const normalized = email.trim().toLowerCase();
  return [...context.users.values()].some((existing) => existing.email.trim().toLowerCase() === normalized);
}

function createUser(context: PluSimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const key = requestHeader(request, 'idempotency-key')?.trim();
  if (key === undefined || key === '')
    return pluError(400, PLU_SIM_CODES.validation, 'The idempotency-key header is required');
  if (keyReused(context, key)) return reusedKeyError(context);
  if (!request.bodyIsJson) return pluError(400, PLU_SIM_CODES.validation, 'The body must be JSON');
  const checked = checkCreateUserBody(request.body);
  if ('problems' in checked) return pluError(422, PLU_SIM_CODES.validation, checked.problems.join('; '));
  const body = checked.body;
  if (emailTaken(context, body.email))
    return pluError(400, PLU_SIM_CODES.duplicateUser, 'A user with this email already exists');
  const user: PluUserRecord = {
    serviceId: newServiceId(context),
    email: body.email,
    firstName: body.firstName,
    lastName: body.lastName,
    program: body.program,
    createdAt: new Date(context.now()).toISOString(),
    state: 'pending_kyc',
    retryCount: 0,
    inquiryId: '',
    verificationUrl: '',
    extraVerificationAsked: false,
  };
  newInquiry(context, user);
  context.users.set(user.serviceId, user);
  rememberKey(context, key);
  return pluSuccess(201, 'User created successfully', {
    serviceId: user.serviceId,
    verificationUrl: user.verificationUrl,
  });
}

/** Users `from` to `from + size` in creation order, without copying the whole map (20 000 users and more). */
function pageOf(users: ReadonlyMap<string, PluUserRecord>, from: number, size: number): PluUserRecord[] {
  const page: PluUserRecord[] = [];
  let position = 0;
  for (const user of users.values()) {
    if (position >= from + size) break;
    if (position >= from) page.push(user);
    position++;
  }
  return page;
}

function listUsers(context: PluSimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const skip = queryInteger(request, 'skip');
  const limit = queryInteger(request, 'limit');
  if (skip === null) return pluError(422, PLU_SIM_CODES.validation, 'skip must be a non-negative integer');
  if (limit === null || limit === 0)
    return pluError(422, PLU_SIM_CODES.validation, 'limit must be a positive integer');
  const from = skip ?? 0;
  // Plu documents the default (50) and no maximum: no cap unless the `pageLimitCap` variant sets one.
  const size = Math.min(limit ?? 50, context.pageLimitCap ?? Number.MAX_SAFE_INTEGER);
  return pluSuccess(200, 'success', {
    users: pageOf(context.users, from, size).map((user) => ({
      serviceId: user.serviceId,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      status: listedStatus(user.state),
      program: user.program,
      createdAt: user.createdAt,
    })),
    pagination: context.omitTotal
      ? { skip: from, limit: size }
      : { skip: from, limit: size, total: context.users.size },
  });
}

/** A refusal in the configured variant (`retryRefusal`): Plu documents the rules, not the answers. */
function refused(
  context: PluSimulatorContext,
  reason: 'notDenied' | 'retryLimit',
  text: string,
): SimulatorResponse {
  switch (context.retryRefusal) {
    case 'distinct-codes':
      return pluError(400, PLU_SIM_CODES[reason], text);
    case 'bare-400':
      return { status: 400 };
    case 'generic-code':
      return pluError(400, PLU_SIM_CODES.badRequest, text);
  }
}

/**
 * Why the user cannot be retried now, if they cannot. retry-kyc page: "Retries KYC for a user in a
 * denied state"; "Each user can be retried up to 3 times. After that, contact support."
 */
function retryRefusal(context: PluSimulatorContext, user: PluUserRecord): SimulatorResponse | undefined {
  if (user.state !== 'denied' && user.state !== 'persona_failed')
    return refused(context, 'notDenied', 'KYC can only be retried for a user in a denied state');
  if (user.retryCount >= context.maxRetries)
    return refused(
      context,
      'retryLimit',
      `This user has been retried ${context.maxRetries} times; contact support`,
    );
  return undefined;
}

function retryKyc(context: PluSimulatorContext, request: SimulatorRequest): SimulatorResponse {
  // The retry page lists no idempotency-key (the overview requires one on every POST): optional here,
  // but a reused one is refused like on create.
  const key = requestHeader(request, 'idempotency-key')?.trim() || undefined;
  if (key !== undefined && keyReused(context, key)) return reusedKeyError(context);
  const user = context.users.get(request.params.serviceId ?? '');
  if (!user) return pluError(400, PLU_SIM_CODES.userNotFound, 'The specified user service ID does not exist');
  const refusal = retryRefusal(context, user);
  if (refusal) return refusal;
  user.retryCount += 1;
  user.extraVerificationAsked = false;
  delete user.reason;
  const personaFailed = user.state === 'persona_failed';
  user.state = 'pending_kyc';
  rememberKey(context, key);
  if (personaFailed) {
    newInquiry(context, user);
    return pluSuccess(200, 'KYC retry initiated successfully', {
      serviceId: user.serviceId,
      verificationUrl: user.verificationUrl,
      retryCount: user.retryCount,
    });
  }
  return pluSuccess(200, 'KYC retry initiated successfully', {
    serviceId: user.serviceId,
    applicationStatus: 'pending',
    retryCount: user.retryCount,
  });
}

export function pluRoutes(context: PluSimulatorContext): ReadonlyArray<Route> {
  return [
    { method: 'POST', pattern: PLU_SIM_PATHS.createUser, handler: authenticated(context, createUser) },
    { method: 'GET', pattern: PLU_SIM_PATHS.listUsers, handler: authenticated(context, listUsers) },
    { method: 'POST', pattern: PLU_SIM_PATHS.retryKyc, handler: authenticated(context, retryKyc) },
    // Opened by the user's browser: no Bearer key.
    {
      method: 'GET',
      pattern: PLU_SIM_PATHS.verificationPage,
      handler: (request) => pluVerificationPage(context, request),
    },
  ];
}
