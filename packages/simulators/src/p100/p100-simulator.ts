/**
 * The P100 simulator: P100's Partner API onboarding endpoints on loopback, with a per-user KYC
 * state machine, P100's error codes and irregular statuses, the attempt cap (P430), and the
 * KYC/user/file/POA webhooks authenticated with the Webhook Security Token in `Authorization`.
 *
 * P100 documents no sandbox convention; this one is the simulator's own (docs/simulators/p100.md):
 * when a hosted flow is completed without an outcome, a lastName ending in `Denied` is rejected
 * (`NO_FACE_FOUND`); anything else (e.g. ending in `Approved`) is approved.
 */
import { randomUUID } from 'node:crypto';
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
import { parseMultipart } from './multipart';
import type { MultipartPart } from './multipart';
import {
  ATTEMPT_STATUSES,
  Checks,
  DOCUMENT_TYPES,
  FILE_TYPES,
  INCOME_SOURCES,
  MAX_FILES,
  MAX_FILE_BYTES,
  OCCUPATIONS,
  OPEN_ACCOUNT_REASONS,
  POA_COUNTRIES,
  POA_STATUSES,
  VERIFICATION_STATUSES,
  accessDenied,
  asRecord,
  fieldsRequiredBy,
  p100Error,
  validationError,
} from './p100-wire';
import type { AttemptStatus, PoaStatus, VerificationStatus } from './p100-wire';

/** Fixed, well-known test credentials (never valid at P100). */
export const P100_SIMULATOR_API_KEY = 'p100-simulator-api-key';
export const P100_SIMULATOR_WEBHOOK_TOKEN = 'p100-simulator-webhook-token';
/** The simulator's cap on verifications per user (P100 enforces one, P430, but does not document it). */
export const P100_SIMULATOR_MAX_ATTEMPTS = 3;
/** P100's re-delivery delays (~8, 16, 32, 64 s after the first attempt: 5 attempts), scaled down 1000x. */
export const P100_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8, 16, 32, 64];
/** The real schedule, for `webhookRetryDelaysMs` when reproducing it. */
export const P100_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [8_000, 16_000, 32_000, 64_000];
/** The rejection reason of a denied attempt (P100's only documented example). */
export const P100_SIMULATOR_REJECTION_REASON = 'NO_FACE_FOUND';

export interface P100SimulatorOptions extends SimulatorOptions {
  /** Verifications (`POST /v1/kyc`, and Method A submissions) a user may start; then P430. Default 3. */
  readonly maxVerificationAttempts?: number;
  /**
   * `true`: an accepted hosted capture stops at `NOT_VERIFIED/SUCCESSFUL` and the user becomes
   * `VERIFIED` only after Add User Verification (P100's Method B step 5, strictly). Default `false`:
   * an approved hosted flow verifies the user at once, and Add User Verification is still accepted
   * once afterwards.
   */
  readonly requireDocumentData?: boolean;
}

export interface P100ProviderErrorRule {
  /** Default `P501` ("Service temporarily unavailable"). Both arrive with HTTP 400, as at P100. */
  readonly code?: 'P500' | 'P501';
  readonly method?: string;
  readonly path?: string;
  /** Default 1. */
  readonly times?: number;
}

export interface P100Simulator extends ProviderSimulator {
  readonly provider: 'p100';
  /** Makes the next matching request(s) fail as P100 does when it is down: HTTP 400 with P501 (or P500). */
  injectProviderError(rule?: P100ProviderErrorRule): void;
}

type Flow = 'hosted' | 'document_upload';

interface UserRecord {
  readonly externalUserId: string;
  readonly userId: string;
  readonly lastName: string;
  status: VerificationStatus;
  /** Undefined while no verification exists (GET status answers 404 P445). */
  attempt?: AttemptStatus;
  rejectionReason?: string;
  flow?: Flow;
  verificationId?: string;
  readonly verificationIds: string[];
  /** Verifications started (counted against the cap). */
  attempts: number;
  /** KYC files uploaded and not yet used by an Add User Verification. */
  kycFiles: number;
  documentDataSubmitted: boolean;
  active: boolean;
  poa?: PoaStatus;
}

const P100_PATHS = {
  createUser: '/v1/user/balances/crypto-and-fiat',
  startVerification: '/v1/kyc',
  verificationRedirect: '/v1/kyc/verification/{externalUserId}/{verificationId}',
  kycStatus: '/v1/kyc/status/{externalUserId}',
  kycFiles: '/v1/user/kyc-files/{externalUserId}',
  poaFiles: '/v1/user/poa-files/{externalUserId}',
  addUserVerification: '/v1/user/verification',
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_DIGITS = /^\d{7,15}$/;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function header(request: SimulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The sandbox convention: the outcome a hosted flow completed without one ends with. */
export function p100ConventionalOutcome(lastName: string): SimulatedOutcome {
  return /denied$/i.test(lastName.trim()) ? 'denied' : 'approved';
}

function providerStatusOf(user: UserRecord): string {
  return user.attempt === undefined ? 'KYC_NOT_FOUND' : `${user.status}/${user.attempt}`;
}

function isOneOf<T extends string>(values: ReadonlyArray<T>, value: string): value is T {
  return (values as ReadonlyArray<string>).includes(value);
}

function checkFiles(parts: ReadonlyArray<MultipartPart>): SimulatorResponse | undefined {
  if (parts.length === 0) return validationError(['files should not be empty.']);
  if (parts.length > MAX_FILES) return validationError([`You can upload up to ${MAX_FILES} files.`]);
  for (const part of parts) {
    const type = (part.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!FILE_TYPES.includes(type)) return p100Error('P426');
  }
  for (const part of parts) if (part.data.length > MAX_FILE_BYTES) return p100Error('P440');
  if (parts.some((part) => part.data.length === 0)) return validationError(['files must not be empty.']);
  return undefined;
}

export async function startP100Simulator(options: P100SimulatorOptions = {}): Promise<P100Simulator> {
  const maxAttempts = options.maxVerificationAttempts ?? P100_SIMULATOR_MAX_ATTEMPTS;
  const requireDocumentData = options.requireDocumentData ?? false;
  const users = new Map<string, UserRecord>();
  /** documentNumber -> externalUserId, for P466. */
  const documentNumbers = new Map<string, string>();

  const deliverer = createWebhookDeliverer({
    url: options.webhookUrl,
    // P100 sends the Webhook Security Token itself in Authorization (the raw form; no `Bearer`).
    sign: () => ({ authorization: P100_SIMULATOR_WEBHOOK_TOKEN }),
    retryDelaysMs: options.webhookRetryDelaysMs ?? P100_WEBHOOK_RETRY_DELAYS_MS,
  });

  const sendKycStatus = (user: UserRecord): void => {
    if (user.attempt === undefined) return;
    deliverer.deliver({
      externalUserId: user.externalUserId,
      verificationStatus: user.status,
      attemptStatus: user.attempt,
      ...(user.rejectionReason !== undefined ? { rejectionReason: user.rejectionReason } : {}),
    });
  };

  /** The KYC status webhook, then (the first time a user is verified) the user status `ACTIVE`. */
  const announce = (user: UserRecord): void => {
    sendKycStatus(user);
    if (user.status === 'VERIFIED' && !user.active) {
      user.active = true;
      deliverer.deliver({ externalUserId: user.externalUserId, status: 'ACTIVE' });
    }
  };

  const newVerification = (user: UserRecord, flow: Flow): string => {
    const verificationId = randomUUID();
    user.verificationId = verificationId;
    user.verificationIds.push(verificationId);
    user.flow = flow;
    user.attempt = 'PENDING';
    delete user.rejectionReason;
    return verificationId;
  };

  const authenticated =
    (handler: (request: SimulatorRequest) => SimulatorResponse) =>
    (request: SimulatorRequest): SimulatorResponse => {
      const key = header(request, 'x-api-key');
      if (key === undefined || key.trim() === '') return accessDenied('xo1');
      if (key !== P100_SIMULATOR_API_KEY) return accessDenied('xo2');
      return handler(request);
    };

  const jsonBody = (request: SimulatorRequest) => (request.bodyIsJson ? asRecord(request.body) : undefined);
  const notAnObject = () => validationError(['The request body must be a JSON object.']);
  const missingAsInvalid = (checks: Checks) => [
    ...checks.missing.map((field) => `${field} should not be empty.`),
    ...checks.invalid,
  ];

  const createUser = (request: SimulatorRequest): SimulatorResponse => {
    const body = jsonBody(request);
    if (!body) return notAnObject();
    const checks = new Checks(body);
    const externalUserId = checks.text('externalUserId', true, 128);
    if (body.hasAcceptedP100Tc !== true) checks.invalid.push('hasAcceptedP100Tc must be true.');
    checks.matches('email', EMAIL, 'an email', true);
    checks.matches('phone', PHONE_DIGITS, 'a phone number in international format (digits only)', true);
    checks.text('firstName', true);
    const lastName = checks.text('lastName', true);
    checks.text('street', true);
    checks.text('number', false, 32);
    checks.text('city', true);
    checks.text('postCode', true, 16);
    const country = checks.country('country', true);
    checks.country('citizenship', true);
    checks.country('nationality', false);
    checks.country('birthCountry', false);
    const birthDate = checks.date('birthDate', true);
    if (birthDate !== undefined && birthDate >= new Date().toISOString().slice(0, 10))
      checks.invalid.push('birthDate must be a date in the past.');
    checks.text('userIdentificationNumber', false, 64);
    const messages = missingAsInvalid(checks);
    if (messages.length > 0 || externalUserId === undefined || lastName === undefined)
      return validationError(messages);
    // "Attempts to reuse an existing ID will result in an error" (P411 `user-exists`, seen in the wild).
    if (users.has(externalUserId)) return p100Error('P411');
    const user: UserRecord = {
      externalUserId,
      userId: randomUUID(),
      lastName,
      status: 'NOT_VERIFIED',
      verificationIds: [],
      attempts: 0,
      kycFiles: 0,
      documentDataSubmitted: false,
      active: false,
    };
    users.set(externalUserId, user);
    return {
      status: 201,
      body: { userId: user.userId, poaRequiredForExtended: POA_COUNTRIES.includes(country ?? '') },
    };
  };

  const startVerification = (request: SimulatorRequest): SimulatorResponse => {
    const body = jsonBody(request);
    if (!body) return notAnObject();
    const checks = new Checks(body);
    const externalUserId = checks.text('externalUserId', true, 128);
    checks.oneOf('documentType', DOCUMENT_TYPES, true);
    checks.country('country', true);
    const incomeSource = checks.oneOf('incomeSource', INCOME_SOURCES, true);
    checks.oneOf('openAccountReason', OPEN_ACCOUNT_REASONS, true);
    const needed = incomeSource ? fieldsRequiredBy(incomeSource) : [];
    checks.text('taxId', needed.includes('taxId'), 200);
    checks.oneOf('occupation', OCCUPATIONS, needed.includes('occupation'));
    checks.text('additionalInfo', needed.includes('additionalInfo'), 500);
    const messages = missingAsInvalid(checks);
    if (messages.length > 0 || externalUserId === undefined) return validationError(messages);
    const user = users.get(externalUserId);
    if (!user) return p100Error('P412');
    if (user.status === 'VERIFIED') return p100Error('P442');
    if (user.attempts >= maxAttempts) return p100Error('P430');
    user.attempts += 1;
    const verificationId = newVerification(user, 'hosted');
    // The host learns the new state from this answer: no webhook for it.
    return { status: 201, body: { verificationId } };
  };

  const redirectPage = (request: SimulatorRequest): SimulatorResponse => {
    const externalUserId = request.params.externalUserId as string;
    const verificationId = request.params.verificationId as string;
    const user = users.get(externalUserId);
    if (!user) return p100Error('P412');
    if (!user.verificationIds.includes(verificationId)) return p100Error('P445');
    const current = user.verificationId === verificationId;
    const open = current && (user.attempt === 'PENDING' || user.attempt === 'VERIFICATION');
    const controlUrl = `/__control/users/${encodeURIComponent(externalUserId)}/complete`;
    const state = escapeHtml(providerStatusOf(user));
    const html = [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8"><title>P100 verification (simulator)</title></head><body>',
      '<h1>P100 identity verification (kycport simulator)</h1>',
      '<p>At P100 this page sends the browser on to an iDenfy capture session. In the simulator, finish the capture here.</p>',
      `<p>Verification <code>${escapeHtml(verificationId)}</code>: <strong id="state">${state}</strong>${current ? '' : ' (superseded by a newer verification)'}</p>`,
      open
        ? [
            '<button data-outcome="approved">Finish: approved</button>',
            '<button data-outcome="denied">Finish: denied</button>',
            '<script>',
            'for (const button of document.querySelectorAll("button")) {',
            '  button.addEventListener("click", async () => {',
            `    const response = await fetch(${JSON.stringify(controlUrl)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ outcome: button.dataset.outcome }) });`,
            '    document.getElementById("state").textContent = response.ok ? "completed: " + button.dataset.outcome : "failed (" + response.status + ")";',
            '  });',
            '}',
            '</script>',
          ].join('\n')
        : '<p>This verification is closed.</p>',
      '</body></html>',
    ].join('\n');
    return { status: 200, body: html, contentType: 'text/html; charset=utf-8' };
  };

  const kycStatus = (request: SimulatorRequest): SimulatorResponse => {
    const user = users.get(request.params.externalUserId as string);
    if (!user) return p100Error('P412');
    if (user.attempt === undefined) return p100Error('P445');
    return {
      status: 200,
      body: {
        status: user.status,
        attemptStatus: user.attempt,
        ...(user.rejectionReason !== undefined ? { rejectionReason: user.rejectionReason } : {}),
      },
    };
  };

  const fileParts = (request: SimulatorRequest, field?: string): MultipartPart[] | undefined => {
    const parts = parseMultipart(header(request, 'content-type'), request.rawBody);
    return parts?.filter(
      (part) =>
        (field === undefined || part.name === field) &&
        (part.fileName !== undefined || part.contentType !== undefined),
    );
  };

  const kycFiles = (request: SimulatorRequest): SimulatorResponse => {
    const externalUserId = request.params.externalUserId as string;
    const user = users.get(externalUserId);
    if (!user) return p100Error('P412');
    // P100 does not document the field name: any file field is taken (the adapter sends `files`).
    const parts = fileParts(request);
    if (parts === undefined) return validationError(['The request must be multipart/form-data with files.']);
    const problem = checkFiles(parts);
    if (problem) {
      // "Dispatched immediately following an attempt to upload": ERROR when the files were refused.
      if (problem.status === 400 && parts.length > 0) deliverer.deliver({ externalUserId, status: 'ERROR' });
      return problem;
    }
    if (user.status === 'VERIFIED') return p100Error('P442');
    user.kycFiles = parts.length;
    deliverer.deliver({ externalUserId, status: 'ADDED' });
    return { status: 201, body: { message: 'KYC files added successfully' } };
  };

  const poaFiles = (request: SimulatorRequest): SimulatorResponse => {
    const externalUserId = request.params.externalUserId as string;
    const user = users.get(externalUserId);
    if (!user) return p100Error('P412');
    const parts = fileParts(request, 'files');
    if (parts === undefined) return validationError(['The request must be multipart/form-data with files.']);
    const problem = checkFiles(parts);
    if (problem) return problem;
    if (user.poa === 'APPROVED') return p100Error('P447');
    if (user.poa === 'WAITING') return p100Error('P211');
    user.poa = 'WAITING';
    deliverer.deliver({ externalUserId, status: 'WAITING' });
    return { status: 201, body: { message: 'POA files added successfully' } };
  };

  const addUserVerification = (request: SimulatorRequest): SimulatorResponse => {
    const body = jsonBody(request);
    if (!body) return notAnObject();
    const checks = new Checks(body);
    const externalUserId = checks.text('externalUserId', true, 128);
    checks.oneOf('documentType', DOCUMENT_TYPES, true);
    const documentNumber = checks.text('documentNumber', true, 64);
    checks.date('documentExpirationDate', false);
    checks.oneOf('openAccountReason', OPEN_ACCOUNT_REASONS, true);
    const incomeSource = checks.oneOf('incomeSource', INCOME_SOURCES, true);
    checks.oneOf('occupation', OCCUPATIONS, incomeSource === 'SALARY');
    checks.text('riskLvl', false, 40);
    if (checks.missing.length > 0)
      return p100Error('P473', `Missing required parameters: ${checks.missing.join(', ')}`);
    if (checks.invalid.length > 0 || externalUserId === undefined || documentNumber === undefined)
      return validationError(checks.invalid);
    const user = users.get(externalUserId);
    if (!user) return p100Error('P412');
    if (user.status === 'VERIFIED' && user.documentDataSubmitted) return p100Error('P442');
    const owner = documentNumbers.get(documentNumber);
    const numberTaken = owner !== undefined && owner !== externalUserId;
    const store = () => {
      documentNumbers.set(documentNumber, externalUserId);
      user.documentDataSubmitted = true;
    };
    const added: SimulatorResponse = {
      status: 201,
      body: { message: 'Verification documents to user added successfully' },
    };

    // Method B step 5: the hosted capture was accepted; the document data completes the verification.
    if (user.flow === 'hosted' && user.attempt === 'SUCCESSFUL' && user.status === 'NOT_VERIFIED') {
      if (numberTaken) return p100Error('P466');
      store();
      user.status = 'VERIFIED';
      announce(user);
      return added;
    }
    // Verified by the hosted flow without the data (requireDocumentData false): accepted once.
    if (user.status === 'VERIFIED') {
      if (numberTaken) return p100Error('P466');
      store();
      return added;
    }
    if (user.kycFiles === 0) {
      // The last KYC expired or was rejected and nothing new was uploaded: start over.
      if (user.status === 'EXPIRED' || user.attempt === 'REJECTED_BY_PROVIDER') return p100Error('P446');
      return p100Error('P427');
    }
    if (user.attempts >= maxAttempts) return p100Error('P430');
    if (numberTaken) return p100Error('P466');
    // Method A: the uploaded files and this data go to review (completed with completeHostedFlow).
    store();
    user.attempts += 1;
    user.kycFiles = 0;
    newVerification(user, 'document_upload');
    return added;
  };

  const routes: ReadonlyArray<Route> = [
    { method: 'POST', pattern: P100_PATHS.createUser, handler: authenticated(createUser) },
    { method: 'POST', pattern: P100_PATHS.startVerification, handler: authenticated(startVerification) },
    // Opened by the user's browser: no x-api-key.
    { method: 'GET', pattern: P100_PATHS.verificationRedirect, handler: redirectPage },
    { method: 'GET', pattern: P100_PATHS.kycStatus, handler: authenticated(kycStatus) },
    { method: 'POST', pattern: P100_PATHS.kycFiles, handler: authenticated(kycFiles) },
    { method: 'POST', pattern: P100_PATHS.poaFiles, handler: authenticated(poaFiles) },
    { method: 'POST', pattern: P100_PATHS.addUserVerification, handler: authenticated(addUserVerification) },
  ];

  const userOf = (ref: string): UserRecord => {
    const user = users.get(ref);
    if (!user) throw new SimulatorControlError(`p100 simulator: no user with externalUserId ${ref}`, 404);
    return user;
  };

  const completeHostedFlow = async (ref: string, outcome?: SimulatedOutcome): Promise<void> => {
    const user = userOf(ref);
    if (user.attempt !== 'PENDING' && user.attempt !== 'VERIFICATION') {
      throw new SimulatorControlError(
        `p100 simulator: no verification in progress for ${ref} (${providerStatusOf(user)}); start one with POST /v1/kyc`,
        400,
      );
    }
    const verdict = outcome ?? p100ConventionalOutcome(user.lastName);
    // The capture (PENDING -> VERIFICATION) and the review happen in one step; the webhook carries the verdict.
    user.attempt = 'VERIFICATION';
    if (verdict === 'denied') {
      user.status = user.status === 'EXPIRED' ? 'EXPIRED' : 'NOT_VERIFIED';
      user.attempt = 'REJECTED_BY_PROVIDER';
      user.rejectionReason = P100_SIMULATOR_REJECTION_REASON;
    } else {
      delete user.rejectionReason;
      user.attempt = 'SUCCESSFUL';
      const awaitingData = user.flow === 'hosted' && requireDocumentData && !user.documentDataSubmitted;
      user.status = awaitingData ? 'NOT_VERIFIED' : 'VERIFIED';
    }
    announce(user);
  };

  const setUserState = async (ref: string, state: string): Promise<void> => {
    const user = userOf(ref);
    const poa = /^POA\/(\w+)$/.exec(state)?.[1];
    if (poa !== undefined) {
      if (!isOneOf(POA_STATUSES, poa))
        throw new SimulatorControlError(`p100 simulator: unknown POA status ${poa}`, 400);
      if (user.poa !== poa) deliverer.deliver({ externalUserId: ref, status: poa });
      user.poa = poa;
      return;
    }
    if (state === 'KYC_NOT_FOUND') {
      user.status = 'NOT_VERIFIED';
      delete user.attempt;
      delete user.rejectionReason;
      delete user.flow;
      delete user.verificationId;
      return;
    }
    const match = /^(\w+)\/(\w+)(?::(\w+))?$/.exec(state);
    const status = match?.[1] ?? '';
    const attempt = match?.[2] ?? '';
    if (!isOneOf(VERIFICATION_STATUSES, status) || !isOneOf(ATTEMPT_STATUSES, attempt)) {
      throw new SimulatorControlError(
        `p100 simulator: unknown state ${state}; expected STATUS/ATTEMPT (e.g. NOT_VERIFIED/PENDING, ` +
          'NOT_VERIFIED/REJECTED_BY_PROVIDER:NO_FACE_FOUND, VERIFIED/SUCCESSFUL), KYC_NOT_FOUND or POA/<status>',
        400,
      );
    }
    const before = `${providerStatusOf(user)}:${user.rejectionReason ?? ''}`;
    // A state with an attempt needs a verification: create one (not counted against the cap).
    if (user.verificationId === undefined) newVerification(user, 'hosted');
    user.status = status;
    user.attempt = attempt;
    if (attempt === 'REJECTED_BY_PROVIDER')
      user.rejectionReason = match?.[3] ?? P100_SIMULATOR_REJECTION_REASON;
    else delete user.rejectionReason;
    if (`${providerStatusOf(user)}:${user.rejectionReason ?? ''}` !== before) announce(user);
  };

  const injectProviderError = (rule: P100ProviderErrorRule = {}): void => {
    const code = rule.code ?? 'P501';
    const error = p100Error(code);
    server.injectFault({
      fault: { type: 'status', status: error.status, body: error.body },
      ...(rule.method !== undefined ? { method: rule.method.toUpperCase() } : {}),
      ...(rule.path !== undefined ? { path: rule.path } : {}),
      ...(rule.times !== undefined ? { times: rule.times } : {}),
    });
  };

  const started: { simulator?: P100Simulator } = {};
  const current = (): P100Simulator => {
    if (!started.simulator) throw new Error('p100 simulator is not started');
    return started.simulator;
  };

  const p100ControlRoutes: ReadonlyArray<Route> = [
    {
      method: 'POST',
      pattern: '/p100/provider-error',
      handler: (request) => {
        const body = asRecord(request.body) ?? {};
        const { code, method, path, times } = body;
        if (
          (code !== undefined && code !== 'P500' && code !== 'P501') ||
          (method !== undefined && typeof method !== 'string') ||
          (path !== undefined && typeof path !== 'string') ||
          (times !== undefined && (typeof times !== 'number' || times < 1))
        ) {
          return {
            status: 400,
            body: { error: 'expected { code?: "P500" | "P501", method?, path?, times? }' },
          };
        }
        current().injectProviderError({ code, method, path, times });
        return { status: 200, body: { ok: true } };
      },
    },
  ];

  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes,
    controlRoutes: [...controlRoutes(current), ...p100ControlRoutes],
  });

  const simulator: P100Simulator = {
    provider: 'p100',
    baseUrl: server.baseUrl,
    adapterSettings: {
      apiKey: P100_SIMULATOR_API_KEY,
      baseUrl: server.baseUrl,
      webhookToken: P100_SIMULATOR_WEBHOOK_TOKEN,
    },
    environment: {
      KYC_PROVIDER: 'p100',
      P100_API_KEY: P100_SIMULATOR_API_KEY,
      P100_BASE_URL: server.baseUrl,
      P100_WEBHOOK_TOKEN: P100_SIMULATOR_WEBHOOK_TOKEN,
    },
    completeHostedFlow,
    setUserState,
    users: (): ReadonlyArray<SimulatedUser> =>
      [...users.values()].map((user) => ({
        ref: user.externalUserId,
        providerStatus: providerStatusOf(user),
        attempts: user.attempts,
      })),
    injectProviderError,
    ...simulatorPlumbing(server, deliverer),
  };
  started.simulator = simulator;
  return simulator;
}
