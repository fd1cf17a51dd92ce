/**
 * The Plu simulator: Plu's Card Partners user endpoints (create, list, retry KYC) on loopback under
 * `/api`, with a per-user KYC state machine, Plu's error envelope, the 3-retry cap, idempotency-key
 * reuse refused for 5 minutes, and `user.kyc-event` webhooks signed with `X-Webhook-Signature`
 * (lowercase hex HMAC-SHA256 of the raw body, keyed with the `whsec_...` secret as-is).
 *
 * Sandbox convention (documented by Plu for staging): a case-sensitive keyword at the end of
 * `lastName` decides the outcome of the hosted flow: `Approved`, `Denied`, `needsVerification`;
 * no keyword: approved. An explicit outcome passed to `completeHostedFlow` wins over the keyword.
 * See docs/simulators/plu.md.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Route, SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { startSimulatorServer } from '../simulator-server';
import { SimulatorControlError, controlRoutes, simulatorPlumbing } from '../provider-simulator';
import type {
  ProviderSimulator,
  SimulatedOutcome,
  SimulatedUser,
  SimulatorOptions,
} from '../provider-simulator';
import { createWebhookDeliverer } from '../webhook-deliverer';
import {
  PLU_API_PREFIX,
  PLU_SIM_CODES,
  PLU_SIM_PATHS,
  checkCreateUserBody,
  pluError,
  pluSuccess,
} from './plu-wire';
import type { PluProgram } from './plu-wire';

/** Fixed, well-known test credentials (never valid at Plu). The `sk_staging_` prefix selects staging. */
export const PLU_SIMULATOR_API_KEY = 'sk_staging_kycport_simulator';
export const PLU_SIMULATOR_WEBHOOK_SECRET = 'whsec_kycport_simulator';
/** "Each user can be retried up to 3 times. After that, contact support." */
export const PLU_SIMULATOR_MAX_RETRIES = 3;
/** "Keys expire after 5 minutes." */
export const PLU_IDEMPOTENCY_WINDOW_MS = 5 * 60_000;
/**
 * Plu documents "retried with exponential backoff", the first retry after 5 minutes; the later
 * delays and the number of attempts are the simulator's assumption (doubling, 3 re-deliveries).
 */
export const PLU_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [300_000, 600_000, 1_200_000];
/** The same schedule scaled down 1000x (the default). */
export const PLU_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [300, 600, 1_200];
/** The denial codes of Plu's documented denied example. */
export const PLU_SIMULATOR_DENIAL_REASON = 'WRONG_USER_REGION, REGULATIONS_VIOLATIONS';
/** The simulator's own reason for a failed Persona inquiry (Plu documents no code for it). */
export const PLU_SIMULATOR_PERSONA_FAILED_REASON = 'PERSONA_VERIFICATION_FAILED';
/**
 * The default origin of `verificationUrl` / `verificationLink`. The adapter only hands https URLs to
 * the user, so the simulator cannot give its own `http://127.0.0.1` origin; `.invalid` never
 * resolves, so nothing reaches a real Persona. The same page is served by the simulator at
 * `${baseUrl}/persona/verify?inquiry-id=...` (`verificationPageUrl`).
 */
export const PLU_SIMULATOR_VERIFICATION_BASE_URL = 'https://persona.plu-simulator.invalid';
export const PLU_SIMULATOR_KYC_EVENT = 'user.kyc-event';
export const PLU_SIMULATOR_SIGNATURE_HEADER = 'X-Webhook-Signature';

/**
 * The simulator's user states (what `setUserState` takes):
 * - `pending_kyc`: created or retried, the Persona flow (or the automated re-submission) is running;
 * - `approved`, `needsVerification`: as the webhook says;
 * - `denied`: Persona passed, KYC denied (a retry re-submits the documents: `applicationStatus: pending`);
 * - `persona_failed`: listed and announced as `denied`; a retry opens a new Persona inquiry (`verificationUrl`).
 */
export const PLU_SIMULATOR_STATES = [
  'pending_kyc',
  'approved',
  'denied',
  'persona_failed',
  'needsVerification',
] as const;
export type PluSimulatorState = (typeof PLU_SIMULATOR_STATES)[number];

export type PluSimulatorOutcome = 'approved' | 'denied' | 'needsVerification';

/** The outcome Plu's staging derives from `lastName` (case-sensitive suffix), if any. */
export function pluSimulatorOutcome(lastName: string): PluSimulatorOutcome | undefined {
  if (lastName.endsWith('Approved')) return 'approved';
  if (lastName.endsWith('Denied')) return 'denied';
  if (lastName.endsWith('needsVerification')) return 'needsVerification';
  return undefined;
}

export interface PluSimulatorOptions extends SimulatorOptions {
  /** Origin (https) of the verification URLs handed out; default `PLU_SIMULATOR_VERIFICATION_BASE_URL`. */
  readonly verificationBaseUrl?: string;
  /** The `{slug}` of `{slug}-user-{uid}` service ids; default `kycsim`. */
  readonly partnerSlug?: string;
  /** Retries per user before the cap answers; default 3. */
  readonly maxRetries?: number;
  /** The clock (ms since epoch) for idempotency-key expiry and timestamps; default `Date.now`. */
  readonly now?: () => number;
}

export interface PluSimulatedUser extends SimulatedUser {
  /** The simulator state (`setUserState` vocabulary); `providerStatus` is what List Users shows. */
  readonly state: PluSimulatorState;
  readonly retryCount: number;
  readonly email: string;
  readonly lastName: string;
  /** The current Persona (or needsVerification) URL handed out. */
  readonly verificationUrl: string;
  /** The same page, served by the simulator over http. */
  readonly verificationPage: string;
}

export interface PluSimulator extends ProviderSimulator {
  readonly provider: 'plu';
  users(): ReadonlyArray<PluSimulatedUser>;
  /** The simulator-hosted page of the user's current inquiry (`${baseUrl}/persona/verify?inquiry-id=...`). */
  verificationPageUrl(ref: string): string;
}

interface UserRecord {
  readonly serviceId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly program: PluProgram;
  readonly createdAt: string;
  state: PluSimulatorState;
  retryCount: number;
  inquiryId: string;
  verificationUrl: string;
  reason?: string;
  /** Set once the attempt asked for additional verification (a keyword completion then approves). */
  extraVerificationAsked: boolean;
}

const UID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function uid(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => UID_ALPHABET[byte % UID_ALPHABET.length]).join('');
}

function listedStatus(state: PluSimulatorState): string {
  return state === 'persona_failed' ? 'denied' : state;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isState(value: string): value is PluSimulatorState {
  return (PLU_SIMULATOR_STATES as ReadonlyArray<string>).includes(value);
}

function header(request: SimulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a non-negative integer query parameter; `undefined` when absent, `null` when invalid. */
function queryInteger(request: SimulatorRequest, name: string): number | undefined | null {
  const raw = request.query.get(name);
  if (raw === null || raw === '') return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

export async function startPluSimulator(options: PluSimulatorOptions = {}): Promise<PluSimulator> {
  const now = options.now ?? Date.now;
  const slug = options.partnerSlug ?? 'kycsim';
  const maxRetries = options.maxRetries ?? PLU_SIMULATOR_MAX_RETRIES;
  const verificationBaseUrl = (options.verificationBaseUrl ?? PLU_SIMULATOR_VERIFICATION_BASE_URL).replace(
    /\/+$/,
    '',
  );
  const users = new Map<string, UserRecord>();
  const inquiries = new Map<string, string>();
  const idempotencyKeys = new Map<string, number>();

  const deliverer = createWebhookDeliverer({
    url: options.webhookUrl,
    sign: (rawBody) => ({
      [PLU_SIMULATOR_SIGNATURE_HEADER]: createHmac('sha256', PLU_SIMULATOR_WEBHOOK_SECRET)
        .update(rawBody, 'utf8')
        .digest('hex'),
    }),
    retryDelaysMs: options.webhookRetryDelaysMs ?? PLU_WEBHOOK_RETRY_DELAYS_MS,
  });

  const newInquiry = (user: UserRecord): void => {
    const inquiryId = `inq_${uid(24)}`;
    inquiries.set(inquiryId, user.serviceId);
    user.inquiryId = inquiryId;
    user.verificationUrl = `${verificationBaseUrl}${PLU_SIM_PATHS.verificationPage}?inquiry-id=${inquiryId}`;
  };

  /** `user.kyc-event` for a decided state (`reason` only on denied, `verificationLink` only on needsVerification). */
  const announce = (user: UserRecord): void => {
    const status = listedStatus(user.state);
    if (status === 'pending_kyc') return;
    deliverer.deliver({
      event: PLU_SIMULATOR_KYC_EVENT,
      timestamp: new Date(now()).toISOString(),
      data: {
        serviceId: user.serviceId,
        status,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        ...(status === 'denied' ? { reason: user.reason ?? PLU_SIMULATOR_DENIAL_REASON } : {}),
        ...(status === 'needsVerification' ? { verificationLink: user.verificationUrl } : {}),
      },
    });
  };

  /** Plu's Bearer check: a missing or different key answers 401 in the error envelope. */
  const authenticated =
    (handler: (request: SimulatorRequest) => SimulatorResponse) =>
    (request: SimulatorRequest): SimulatorResponse => {
      const authorization = header(request, 'authorization');
      if (authorization === undefined || authorization.trim() === '')
        return pluError(401, PLU_SIM_CODES.unauthorized, 'Missing API key');
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (match?.[1] !== PLU_SIMULATOR_API_KEY)
        return pluError(401, PLU_SIM_CODES.unauthorized, 'Invalid API key');
      return handler(request);
    };

  const keyReused = (key: string): boolean => {
    const expiresAt = idempotencyKeys.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > now()) return true;
    idempotencyKeys.delete(key);
    return false;
  };
  const rememberKey = (key: string | undefined): void => {
    if (key !== undefined) idempotencyKeys.set(key, now() + PLU_IDEMPOTENCY_WINDOW_MS);
  };
  const reusedKeyError = (): SimulatorResponse =>
    pluError(
      400,
      PLU_SIM_CODES.idempotencyKeyReused,
      'This idempotency-key was already used in the last 5 minutes (duplicate request)',
    );

  const createUser = (request: SimulatorRequest): SimulatorResponse => {
    const key = header(request, 'idempotency-key')?.trim();
    if (key === undefined || key === '')
      return pluError(400, PLU_SIM_CODES.validation, 'The idempotency-key header is required');
    if (keyReused(key)) return reusedKeyError();
    if (!request.bodyIsJson) return pluError(400, PLU_SIM_CODES.validation, 'The body must be JSON');
    const checked = checkCreateUserBody(request.body);
    if ('problems' in checked) return pluError(422, PLU_SIM_CODES.validation, checked.problems.join('; '));
    const body = checked.body;
    const email = body.email.trim().toLowerCase();
    for (const existing of users.values()) {
      if (existing.email.trim().toLowerCase() === email)
        return pluError(400, PLU_SIM_CODES.duplicateUser, 'A user with this email already exists');
    }
    const user: UserRecord = {
      serviceId: `${slug}-user-${uid(15)}`,
      email: body.email,
      firstName: body.firstName,
      lastName: body.lastName,
      program: body.program,
      createdAt: new Date(now()).toISOString(),
      state: 'pending_kyc',
      retryCount: 0,
      inquiryId: '',
      verificationUrl: '',
      extraVerificationAsked: false,
    };
    newInquiry(user);
    users.set(user.serviceId, user);
    rememberKey(key);
    return pluSuccess(201, 'User created successfully', {
      serviceId: user.serviceId,
      verificationUrl: user.verificationUrl,
    });
  };

  const listUsers = (request: SimulatorRequest): SimulatorResponse => {
    const skip = queryInteger(request, 'skip');
    const limit = queryInteger(request, 'limit');
    if (skip === null) return pluError(422, PLU_SIM_CODES.validation, 'skip must be a non-negative integer');
    if (limit === null || limit === 0)
      return pluError(422, PLU_SIM_CODES.validation, 'limit must be a positive integer');
    const from = skip ?? 0;
    // Plu documents the default (50) but no maximum; the simulator caps pages at 100.
    const size = Math.min(limit ?? 50, 100);
    const all = [...users.values()];
    return pluSuccess(200, 'success', {
      users: all.slice(from, from + size).map((user) => ({
        serviceId: user.serviceId,
        email: user.email,
        firstName: user.firstName,
        lastName: user.lastName,
        status: listedStatus(user.state),
        program: user.program,
        createdAt: user.createdAt,
      })),
      pagination: { skip: from, limit: size, total: all.length },
    });
  };

  const retryKyc = (request: SimulatorRequest): SimulatorResponse => {
    // The retry page lists no idempotency-key (the overview requires one on every POST): optional here,
    // but a reused one is refused like on create.
    const key = header(request, 'idempotency-key')?.trim() || undefined;
    if (key !== undefined && keyReused(key)) return reusedKeyError();
    const user = users.get(request.params.serviceId ?? '');
    if (!user)
      return pluError(400, PLU_SIM_CODES.userNotFound, 'The specified user service ID does not exist');
    if (user.state !== 'denied' && user.state !== 'persona_failed')
      return pluError(400, PLU_SIM_CODES.notDenied, 'KYC can only be retried for a user in a denied state');
    if (user.retryCount >= maxRetries)
      return pluError(
        400,
        PLU_SIM_CODES.retryLimit,
        `This user has been retried ${maxRetries} times; contact support`,
      );
    user.retryCount += 1;
    user.extraVerificationAsked = false;
    delete user.reason;
    const personaFailed = user.state === 'persona_failed';
    user.state = 'pending_kyc';
    rememberKey(key);
    if (personaFailed) {
      newInquiry(user);
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
  };

  const verificationPage = (request: SimulatorRequest): SimulatorResponse => {
    const inquiryId = request.query.get('inquiry-id') ?? '';
    const serviceId = inquiries.get(inquiryId);
    const user = serviceId === undefined ? undefined : users.get(serviceId);
    const page = (status: number, body: string): SimulatorResponse => ({
      status,
      contentType: 'text/html; charset=utf-8',
      body: [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        '<title>Persona verification (kycport Plu simulator)</title></head><body>',
        '<h1>Identity verification (kycport Plu simulator)</h1>',
        body,
        '</body></html>',
      ].join(''),
    });
    if (!user) return page(404, '<p>Unknown or expired inquiry.</p>');
    const current = user.inquiryId === inquiryId;
    const open = current && (user.state === 'pending_kyc' || user.state === 'needsVerification');
    const ref = escapeHtml(JSON.stringify(user.serviceId));
    return page(
      200,
      [
        `<p>Inquiry <code>${escapeHtml(inquiryId)}</code> for <code>${escapeHtml(user.serviceId)}</code>: `,
        `<strong id="status">${escapeHtml(listedStatus(user.state))}</strong>`,
        current ? '' : ' (superseded by a newer inquiry)',
        '</p>',
        open
          ? [
              '<p>Complete the flow as the end user (the lastName keyword decides when no outcome is chosen):</p>',
              `<button onclick='complete(${ref}, "approved")'>Approve</button> `,
              `<button onclick='complete(${ref}, "denied")'>Deny</button> `,
              `<button onclick='complete(${ref})'>Use the sandbox keyword</button>`,
              '<script>function complete(ref, outcome) {',
              "fetch('/__control/users/' + encodeURIComponent(ref) + '/complete', { method: 'POST',",
              "headers: { 'content-type': 'application/json' }, body: JSON.stringify(outcome ? { outcome } : {}) })",
              '.then(function () { location.reload(); }); }</script>',
            ].join('')
          : '<p>This inquiry is closed.</p>',
      ].join(''),
    );
  };

  const routes: ReadonlyArray<Route> = [
    { method: 'POST', pattern: PLU_SIM_PATHS.createUser, handler: authenticated(createUser) },
    { method: 'GET', pattern: PLU_SIM_PATHS.listUsers, handler: authenticated(listUsers) },
    { method: 'POST', pattern: PLU_SIM_PATHS.retryKyc, handler: authenticated(retryKyc) },
    { method: 'GET', pattern: PLU_SIM_PATHS.verificationPage, handler: verificationPage },
  ];

  const userOf = (ref: string): UserRecord => {
    const user = users.get(ref);
    if (!user) throw new SimulatorControlError(`plu simulator: no user with serviceId ${ref}`, 404);
    return user;
  };

  const completeHostedFlow = async (ref: string, outcome?: SimulatedOutcome): Promise<void> => {
    const user = userOf(ref);
    if (user.state !== 'pending_kyc' && user.state !== 'needsVerification') {
      throw new SimulatorControlError(
        `plu simulator: no KYC attempt in progress for ${ref} (status ${listedStatus(user.state)}); ` +
          'a denied user needs POST .../retry-kyc first',
        400,
      );
    }
    let verdict: PluSimulatorOutcome = outcome ?? pluSimulatorOutcome(user.lastName) ?? 'approved';
    // The additional verification asked for by the keyword is asked once per attempt; completing it approves.
    if (outcome === undefined && verdict === 'needsVerification' && user.extraVerificationAsked)
      verdict = 'approved';
    if (verdict === 'needsVerification') {
      user.extraVerificationAsked = true;
      newInquiry(user);
    }
    user.state = verdict;
    if (verdict === 'denied') user.reason = PLU_SIMULATOR_DENIAL_REASON;
    else delete user.reason;
    announce(user);
  };

  const setUserState = async (ref: string, state: string): Promise<void> => {
    const user = userOf(ref);
    if (!isState(state)) {
      throw new SimulatorControlError(
        `plu simulator: unknown state ${state}; expected one of ${PLU_SIMULATOR_STATES.join(', ')}`,
        400,
      );
    }
    if (user.state === state) return;
    user.state = state;
    user.reason =
      state === 'denied'
        ? PLU_SIMULATOR_DENIAL_REASON
        : state === 'persona_failed'
          ? PLU_SIMULATOR_PERSONA_FAILED_REASON
          : undefined;
    if (state === 'needsVerification') {
      user.extraVerificationAsked = true;
      newInquiry(user);
    }
    announce(user);
  };

  const started: { simulator?: PluSimulator } = {};
  const current = (): PluSimulator => {
    if (!started.simulator) throw new Error('plu simulator is not started');
    return started.simulator;
  };

  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes,
    controlRoutes: controlRoutes(current),
  });
  const apiBaseUrl = `${server.baseUrl}${PLU_API_PREFIX}`;
  const pageOf = (user: UserRecord): string =>
    `${server.baseUrl}${PLU_SIM_PATHS.verificationPage}?inquiry-id=${user.inquiryId}`;

  const simulator: PluSimulator = {
    provider: 'plu',
    baseUrl: server.baseUrl,
    adapterSettings: {
      apiKey: PLU_SIMULATOR_API_KEY,
      baseUrl: apiBaseUrl,
      webhookSecret: PLU_SIMULATOR_WEBHOOK_SECRET,
    },
    environment: {
      KYC_PROVIDER: 'plu',
      PLU_API_KEY: PLU_SIMULATOR_API_KEY,
      PLU_BASE_URL: apiBaseUrl,
      PLU_WEBHOOK_SECRET: PLU_SIMULATOR_WEBHOOK_SECRET,
    },
    completeHostedFlow,
    setUserState,
    users: () =>
      [...users.values()].map((user) => ({
        ref: user.serviceId,
        providerStatus: listedStatus(user.state),
        attempts: user.retryCount + 1,
        state: user.state,
        retryCount: user.retryCount,
        email: user.email,
        lastName: user.lastName,
        verificationUrl: user.verificationUrl,
        verificationPage: pageOf(user),
      })),
    verificationPageUrl: (ref) => pageOf(userOf(ref)),
    ...simulatorPlumbing(server, deliverer),
  };
  started.simulator = simulator;
  return simulator;
}
