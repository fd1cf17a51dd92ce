/**
 * The Plaid Identity Verification simulator: `/identity_verification/{create,get,list,retry}` and
 * `/webhook_verification_key/get` on loopback, with Plaid's credentials check and `PlaidError`
 * bodies, a per-user attempt history (retries link back with `previous_attempt_id`), the retry
 * strategy rules, and the IDENTITY_VERIFICATION webhooks signed with a `Plaid-Verification` ES256
 * JWT by the simulator's own P-256 key (served by its `/webhook_verification_key/get`).
 *
 * Sandbox convention (Plaid's documented test users, see `plaidConventionalOutcome` and
 * docs/simulators/plaid.md): Leslie Knope passes -> `success`; anyone else fails documentary
 * verification -> `failed`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
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
  PLAID_RETRY_STRATEGIES,
  PLAID_STATUSES,
  PLAID_STEPS,
  attemptView,
  customPlan,
  failedStepsOf,
  failingStepFor,
  incompletePlan,
  moveAttempt,
  newAttempt,
  plaidConventionalOutcome,
  templatePlan,
} from './plaid-attempts';
import type {
  Attempt,
  Phase,
  PlaidRetryStrategy,
  PlaidStatus,
  PlaidStep,
  Plan,
  Steps,
} from './plaid-attempts';
import {
  asRecord,
  checkUser,
  invalidField,
  missingFields,
  plaidError,
  requestId,
  unknownFields,
} from './plaid-wire';
import type { RequestUser } from './plaid-wire';

/** Fixed, well-known test credentials (never valid at Plaid). */
export const PLAID_SIMULATOR_CLIENT_ID = 'kycport-sim-client-id';
export const PLAID_SIMULATOR_SECRET = 'kycport-sim-sandbox-secret';
/** The only Identity Verification template the simulator knows. */
export const PLAID_SIMULATOR_TEMPLATE_ID = 'idvtmp_kycportSim0001';
/** The only `Plaid-Version` in Plaid's published spec. */
export const PLAID_SIMULATOR_API_VERSION = '2020-09-14';
/** `/identity_verification/list` page size: small so cursor paging is exercised. */
export const PLAID_SIMULATOR_LIST_PAGE_SIZE = 2;
/**
 * Plaid re-delivers a webhook answered with a non-2xx (or not answered within 10 s) for up to 24 h,
 * with exponential backoff from 30 s, each delay 4x the previous: 30 s, 2 min, 8 min, 32 min,
 * 2 h 8 min, 8 h 32 min (the next, 34 h, would end after the 24 h window).
 */
export const PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = [
  30_000, 120_000, 480_000, 1_920_000, 7_680_000, 30_720_000,
];
/** The same schedule scaled down 1000x (the default). */
export const PLAID_WEBHOOK_RETRY_DELAYS_MS: ReadonlyArray<number> = PLAID_REAL_WEBHOOK_RETRY_DELAYS_MS.map(
  (ms) => ms / 1000,
);

export type PlaidWebhookCode = 'STATUS_UPDATED' | 'STEP_UPDATED' | 'RETRIED';

export interface PlaidSimulatorOptions extends SimulatorOptions {
  /** Attempts per `/identity_verification/list` page (default 2). */
  readonly listPageSize?: number;
  /** Send a STEP_UPDATED webhook for each step a hosted flow completes (default true). */
  readonly stepUpdatedWebhooks?: boolean;
}

export interface PlaidSimulator extends ProviderSimulator {
  readonly provider: 'plaid';
  readonly templateId: string;
  /** `kid` of the simulator's webhook signing key. */
  readonly webhookKeyId: string;
  /** The public key as `/webhook_verification_key/get` serves it. */
  readonly webhookKey: Readonly<Record<string, unknown>>;
  /** Every attempt of a user, oldest first, as `/identity_verification/get` returns them (no request_id). */
  attempts(ref: string): ReadonlyArray<Record<string, unknown>>;
}

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
const RETRY_FIELDS = [
  'client_id',
  'secret',
  'client_user_id',
  'template_id',
  'strategy',
  'steps',
  'is_shareable',
  'user',
];
const RETRY_STEP_FIELDS = ['verify_sms', 'kyc_check', 'documentary_verification', 'selfie_check'] as const;
const KEY_FIELDS = ['client_id', 'secret', 'key_id'];

function headerValue(request: SimulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function unknownOf(body: Record<string, unknown>, allowed: ReadonlyArray<string>): string[] {
  return Object.keys(body).filter((key) => !allowed.includes(key));
}

function missingOf(body: Record<string, unknown>, required: ReadonlyArray<string>): string[] {
  return required.filter((key) => body[key] === undefined || body[key] === null);
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Parses a `setUserState` state: a status, or `failed:<step>` to choose the failing step. */
function parseState(state: string): { status: PlaidStatus; step?: PlaidStep } | undefined {
  const [status, step] = state.split(':');
  if (!(PLAID_STATUSES as ReadonlyArray<string>).includes(status ?? '')) return undefined;
  if (step === undefined) return { status: status as PlaidStatus };
  if (status !== 'failed' || !(PLAID_STEPS as ReadonlyArray<string>).includes(step)) return undefined;
  return { status: 'failed', step: step as PlaidStep };
}

export async function startPlaidSimulator(options: PlaidSimulatorOptions = {}): Promise<PlaidSimulator> {
  const templateId = PLAID_SIMULATOR_TEMPLATE_ID;
  const pageSize = Math.max(1, Math.floor(options.listPageSize ?? PLAID_SIMULATOR_LIST_PAGE_SIZE));
  const stepWebhooks = options.stepUpdatedWebhooks ?? true;

  // The webhook signing key: generated per simulator, served by /webhook_verification_key/get.
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const publicJwk: JWK = await exportJWK(publicKey);
  const webhookKey: Readonly<Record<string, unknown>> = {
    alg: 'ES256',
    created_at: Math.floor(Date.now() / 1000),
    crv: 'P-256',
    expired_at: null,
    kid,
    kty: 'EC',
    use: 'sig',
    x: publicJwk.x,
    y: publicJwk.y,
  };

  /** Attempts by client_user_id, oldest first. */
  const histories = new Map<string, Attempt[]>();
  const byId = new Map<string, Attempt>();
  let baseUrl = '';

  const deliverer = createWebhookDeliverer({
    url: options.webhookUrl,
    retryDelaysMs: options.webhookRetryDelaysMs ?? PLAID_WEBHOOK_RETRY_DELAYS_MS,
    sign: async (rawBody) => {
      const token = await new SignJWT({
        request_body_sha256: createHash('sha256').update(rawBody, 'utf8').digest('hex'),
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuedAt()
        .sign(privateKey);
      return { 'Plaid-Verification': token };
    },
  });

  const sendWebhook = (code: PlaidWebhookCode, attempt: Attempt): void => {
    deliverer.deliver({
      webhook_type: 'IDENTITY_VERIFICATION',
      webhook_code: code,
      identity_verification_id: attempt.id,
      environment: 'sandbox',
    });
  };

  const view = (attempt: Attempt) => attemptView(attempt, templateId, baseUrl);
  const withRequestId = (attempt: Attempt): SimulatorResponse => ({
    status: 200,
    body: { ...view(attempt), request_id: requestId() },
  });

  const latestOf = (ref: string): Attempt | undefined => {
    const history = histories.get(ref);
    return history?.[history.length - 1];
  };

  const record = (attempt: Attempt): void => {
    const history = histories.get(attempt.clientUserId) ?? [];
    history.push(attempt);
    histories.set(attempt.clientUserId, history);
    byId.set(attempt.id, attempt);
  };

  /** Moves the attempt and sends STEP_UPDATED for each step the user finished, then STATUS_UPDATED. */
  const transition = (attempt: Attempt, phase: Phase, stepUpdates: boolean): void => {
    const before: Steps = { ...attempt.steps };
    const statusBefore = attempt.status;
    moveAttempt(attempt, phase);
    if (stepUpdates && stepWebhooks) {
      for (const step of PLAID_STEPS) {
        const after = attempt.steps[step];
        if (after !== before[step] && ['success', 'failed', 'pending_review'].includes(after))
          sendWebhook('STEP_UPDATED', attempt);
      }
    }
    if (attempt.status !== statusBefore) sendWebhook('STATUS_UPDATED', attempt);
  };

  // ----------------------------------------------------------------------------------------------
  // Plaid endpoints
  // ----------------------------------------------------------------------------------------------

  /** JSON body, credentials (headers or body), Plaid-Version; then the endpoint itself. */
  const endpoint = (
    pattern: string,
    allowed: ReadonlyArray<string>,
    handler: (body: Record<string, unknown>) => SimulatorResponse | Promise<SimulatorResponse>,
  ): Route => ({
    method: 'POST',
    pattern,
    handler: async (request) => {
      const contentType = headerValue(request, 'content-type') ?? '';
      const body = asRecord(request.body);
      if (!contentType.toLowerCase().startsWith('application/json') || !request.bodyIsJson || !body) {
        return plaidError(
          'INVALID_REQUEST',
          'INVALID_BODY',
          'body could not be parsed as JSON; send a JSON object with Content-Type: application/json',
        );
      }
      const clientId = headerValue(request, 'plaid-client-id') ?? body.client_id;
      const secret = headerValue(request, 'plaid-secret') ?? body.secret;
      const missing = [
        ...(clientId === undefined || clientId === '' ? ['client_id'] : []),
        ...(secret === undefined || secret === '' ? ['secret'] : []),
      ];
      if (missing.length > 0) return missingFields(missing);
      if (clientId !== PLAID_SIMULATOR_CLIENT_ID || secret !== PLAID_SIMULATOR_SECRET) {
        return plaidError('INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided');
      }
      const version = headerValue(request, 'plaid-version');
      if (version !== undefined && version !== PLAID_SIMULATOR_API_VERSION) {
        return plaidError(
          'INVALID_REQUEST',
          'INVALID_HEADERS',
          `Plaid-Version must be ${PLAID_SIMULATOR_API_VERSION} (the only version the simulator speaks)`,
        );
      }
      const unknown = unknownOf(body, allowed);
      if (unknown.length > 0) return unknownFields(unknown);
      return handler(body);
    },
  });

  const checkTemplate = (value: unknown): SimulatorResponse | undefined => {
    if (typeof value !== 'string') return invalidField('template_id must be a string');
    if (value !== templateId)
      return invalidField(`template_id ${value} does not match any Identity Verification template`);
    return undefined;
  };

  const create = endpoint('/identity_verification/create', CREATE_FIELDS, (body) => {
    const user = asRecord(body.user);
    const clientUserId = body.client_user_id ?? user?.client_user_id;
    const missing = [
      ...(clientUserId === undefined || clientUserId === null ? ['client_user_id'] : []),
      ...missingOf(body, ['is_shareable', 'template_id', 'gave_consent']),
    ];
    if (missing.length > 0) return missingFields(missing);
    if (typeof clientUserId !== 'string' || clientUserId.trim() === '')
      return invalidField('client_user_id must be a non-empty string');
    if (typeof body.is_shareable !== 'boolean') return invalidField('is_shareable must be a boolean');
    if (typeof body.gave_consent !== 'boolean') return invalidField('gave_consent must be a boolean');
    if (
      body.is_idempotent !== undefined &&
      body.is_idempotent !== null &&
      typeof body.is_idempotent !== 'boolean'
    )
      return invalidField('is_idempotent must be a boolean');
    if (body.user_id !== undefined && body.user_id !== null && typeof body.user_id !== 'string')
      return invalidField('user_id must be a string');
    if (typeof body.user_id === 'string' && body.user !== undefined && body.user !== null)
      return invalidField('user must not be provided when user_id is provided; use /user/update');
    const templateProblem = checkTemplate(body.template_id);
    if (templateProblem) return templateProblem;
    const checkedUser = checkUser(body.user);
    if (!checkedUser.ok) return checkedUser.error;

    const existing = latestOf(clientUserId);
    if (existing) {
      if (body.is_idempotent === true) return withRequestId(existing);
      return invalidField(
        'an Identity Verification already exists for this client_user_id and template_id; send is_idempotent: true to receive it',
      );
    }
    const attempt = newAttempt({
      clientUserId,
      userId: typeof body.user_id === 'string' ? body.user_id : null,
      previousAttemptId: null,
      isShareable: body.is_shareable,
      gaveConsent: body.gave_consent,
      user: checkedUser.value ?? {},
      plan: templatePlan(body.gave_consent),
    });
    record(attempt);
    return withRequestId(attempt);
  });

  const get = endpoint('/identity_verification/get', GET_FIELDS, (body) => {
    const missing = missingOf(body, ['identity_verification_id']);
    if (missing.length > 0) return missingFields(missing);
    if (typeof body.identity_verification_id !== 'string')
      return invalidField('identity_verification_id must be a string');
    const attempt = byId.get(body.identity_verification_id);
    if (!attempt) return invalidField('identity_verification_id does not match any Identity Verification');
    return withRequestId(attempt);
  });

  const list = endpoint('/identity_verification/list', LIST_FIELDS, (body) => {
    const missing = missingOf(body, ['template_id']);
    if (missing.length > 0) return missingFields(missing);
    const templateProblem = checkTemplate(body.template_id);
    if (templateProblem) return templateProblem;
    for (const key of ['client_user_id', 'user_id', 'cursor']) {
      if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string')
        return invalidField(`${key} must be a string`);
    }
    const clientUserId = body.client_user_id as string | undefined;
    const userId = body.user_id as string | undefined;
    const filter = `${clientUserId ?? ''}|${userId ?? ''}`;
    let offset = 0;
    if (typeof body.cursor === 'string' && body.cursor !== '') {
      let decoded: { o?: unknown; f?: unknown } | undefined;
      try {
        decoded = asRecord(JSON.parse(Buffer.from(body.cursor, 'base64url').toString('utf8'))) as
          { o?: unknown; f?: unknown } | undefined;
      } catch {
        decoded = undefined;
      }
      if (!decoded || typeof decoded.o !== 'number' || decoded.f !== filter)
        return invalidField('cursor is not valid for this request');
      offset = decoded.o;
    }
    const all = [...histories.values()]
      .flat()
      .filter(
        (attempt) =>
          (clientUserId === undefined || attempt.clientUserId === clientUserId) &&
          (userId === undefined || attempt.userId === userId),
      )
      .sort((left, right) => left.createdAt.localeCompare(right.createdAt));
    const page = all.slice(offset, offset + pageSize);
    const next = offset + pageSize < all.length;
    return {
      status: 200,
      body: {
        identity_verifications: page.map(view),
        next_cursor: next
          ? Buffer.from(JSON.stringify({ o: offset + pageSize, f: filter })).toString('base64url')
          : null,
        request_id: requestId(),
      },
    };
  });

  const retry = endpoint('/identity_verification/retry', RETRY_FIELDS, (body) => {
    const missing = missingOf(body, ['client_user_id', 'template_id', 'strategy']);
    if (missing.length > 0) return missingFields(missing);
    if (typeof body.client_user_id !== 'string') return invalidField('client_user_id must be a string');
    if (
      typeof body.strategy !== 'string' ||
      !(PLAID_RETRY_STRATEGIES as ReadonlyArray<string>).includes(body.strategy)
    )
      return invalidField('strategy must be one of reset, incomplete, infer, custom');
    const strategy = body.strategy as PlaidRetryStrategy;
    const hasSteps = body.steps !== undefined && body.steps !== null;
    if (strategy === 'custom' && !hasSteps)
      return missingFields(['steps (required when strategy is custom)']);
    if (strategy !== 'custom' && hasSteps)
      return invalidField('steps must be omitted unless strategy is custom');
    let customSteps:
      { verify_sms: boolean; kyc_check: boolean; documentary_verification: boolean } | undefined;
    if (strategy === 'custom') {
      const steps = asRecord(body.steps);
      if (!steps) return invalidField('steps must be an object');
      const unknown = unknownOf(steps, RETRY_STEP_FIELDS);
      if (unknown.length > 0) return unknownFields(unknown.map((key) => `steps.${key}`));
      const absent = missingOf(steps, RETRY_STEP_FIELDS);
      if (absent.length > 0) return missingFields(absent.map((key) => `steps.${key}`));
      const notBoolean = RETRY_STEP_FIELDS.find((key) => typeof steps[key] !== 'boolean');
      if (notBoolean) return invalidField(`steps.${notBoolean} must be a boolean`);
      customSteps = {
        verify_sms: steps.verify_sms as boolean,
        kyc_check: steps.kyc_check as boolean,
        documentary_verification: steps.documentary_verification as boolean,
      };
    }
    if (
      body.is_shareable !== undefined &&
      body.is_shareable !== null &&
      typeof body.is_shareable !== 'boolean'
    )
      return invalidField('is_shareable must be a boolean');
    const templateProblem = checkTemplate(body.template_id);
    if (templateProblem) return templateProblem;
    const checkedUser = checkUser(body.user);
    if (!checkedUser.ok) return checkedUser.error;

    const latest = latestOf(body.client_user_id);
    if (!latest)
      return invalidField('no Identity Verification exists for this client_user_id and template_id');

    let effective: PlaidRetryStrategy = strategy;
    if (strategy === 'infer') {
      if (latest.status === 'active')
        return invalidField(
          'the infer strategy cannot be applied while the latest Identity Verification is still active',
        );
      effective = latest.status === 'failed' || latest.status === 'expired' ? 'incomplete' : 'reset';
    }
    if (effective === 'incomplete') {
      const failing = failedStepsOf(latest.steps);
      if (failing.some((step) => step === 'watchlist_screening' || step === 'risk_check'))
        return invalidField(
          'the incomplete strategy cannot be applied when the failing step is watchlist_screening or risk_check',
        );
    }
    let plan: Plan;
    switch (effective) {
      case 'incomplete':
        plan = incompletePlan(latest);
        break;
      case 'custom':
        plan = customPlan(latest.gaveConsent, customSteps as NonNullable<typeof customSteps>);
        break;
      default:
        plan = templatePlan(latest.gaveConsent);
    }
    const user: RequestUser = { ...latest.user, ...(checkedUser.value ?? {}) };
    const attempt = newAttempt({
      clientUserId: latest.clientUserId,
      userId: latest.userId,
      previousAttemptId: latest.id,
      isShareable: typeof body.is_shareable === 'boolean' ? body.is_shareable : latest.shareKey !== null,
      gaveConsent: latest.gaveConsent,
      user,
      plan,
    });
    record(attempt);
    sendWebhook('RETRIED', attempt);
    return withRequestId(attempt);
  });

  const verificationKey = endpoint('/webhook_verification_key/get', KEY_FIELDS, (body) => {
    const missing = missingOf(body, ['key_id']);
    if (missing.length > 0) return missingFields(missing);
    if (body.key_id !== kid) {
      return plaidError(
        'INVALID_INPUT',
        'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
        'invalid key_id provided. note that key_ids are specific to Plaid environments, and verification requests must be made to the same environment that the webhook was sent from',
      );
    }
    return { status: 200, body: { key: { ...webhookKey }, request_id: requestId() } };
  });

  // ----------------------------------------------------------------------------------------------
  // The hosted flow page behind shareable_url (the simulator's own, not Plaid's UI)
  // ----------------------------------------------------------------------------------------------

  const hostedAttempt = (request: SimulatorRequest): Attempt | undefined => {
    const attempt = byId.get(request.params.id ?? '');
    const key = request.query.get('key');
    return attempt && attempt.shareKey !== null && key === attempt.shareKey ? attempt : undefined;
  };

  const page = (attempt: Attempt, note = ''): SimulatorResponse => {
    const action = `/verify/${attempt.id}?key=${attempt.shareKey ?? ''}`;
    const name = attempt.user.name
      ? `${attempt.user.name.given_name} ${attempt.user.name.family_name}`
      : '(no name)';
    const buttons =
      attempt.status === 'active'
        ? `<form method="post" action="${escapeHtml(action)}">
  <button name="outcome" value="approved">Complete: approved</button>
  <button name="outcome" value="denied">Complete: denied</button>
  <button name="outcome" value="">Complete: sandbox convention</button>
</form>`
        : '<p>This attempt is finished.</p>';
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html>
<html><head><meta charset="utf-8"><title>Plaid IDV simulator: ${escapeHtml(attempt.id)}</title></head>
<body>
<h1>Plaid Identity Verification (simulator)</h1>
<p>Attempt <code>${escapeHtml(attempt.id)}</code> for <code>${escapeHtml(attempt.clientUserId)}</code>, ${escapeHtml(name)}</p>
<p>Status: <strong>${escapeHtml(attempt.status)}</strong></p>
<pre>${escapeHtml(JSON.stringify(attempt.steps, null, 2))}</pre>
${note}
${buttons}
</body></html>
`,
    };
  };

  const hostedRoutes: Route[] = [
    {
      method: 'GET',
      pattern: '/verify/{id}',
      handler: (request) => {
        const attempt = hostedAttempt(request);
        return attempt ? page(attempt) : { status: 404, body: 'This verification link is not valid.' };
      },
    },
    {
      method: 'POST',
      pattern: '/verify/{id}',
      handler: async (request) => {
        const attempt = hostedAttempt(request);
        if (!attempt) return { status: 404, body: 'This verification link is not valid.' };
        const outcome = new URLSearchParams(request.rawBody.toString('utf8')).get('outcome');
        if (attempt.status === 'active' && latestOf(attempt.clientUserId) === attempt) {
          await simulator.completeHostedFlow(
            attempt.clientUserId,
            outcome === 'approved' || outcome === 'denied' ? outcome : undefined,
          );
        }
        return page(attempt, '<p>Submitted.</p>');
      },
    },
  ];

  // ----------------------------------------------------------------------------------------------
  // Control
  // ----------------------------------------------------------------------------------------------

  const requireLatest = (ref: string): Attempt => {
    const latest = latestOf(ref);
    if (!latest) throw new SimulatorControlError(`no Identity Verification for client_user_id ${ref}`, 404);
    return latest;
  };

  const server = await startSimulatorServer({
    port: options.port,
    host: options.host,
    routes: [create, get, list, retry, verificationKey, ...hostedRoutes],
    controlRoutes: controlRoutes(() => simulator),
  });
  baseUrl = server.baseUrl;

  const simulator: PlaidSimulator = {
    provider: 'plaid',
    baseUrl: server.baseUrl,
    templateId,
    webhookKeyId: kid,
    webhookKey,
    adapterSettings: {
      clientId: PLAID_SIMULATOR_CLIENT_ID,
      secret: PLAID_SIMULATOR_SECRET,
      templateId,
      baseUrl: server.baseUrl,
    },
    environment: {
      KYC_PROVIDER: 'plaid',
      PLAID_CLIENT_ID: PLAID_SIMULATOR_CLIENT_ID,
      PLAID_SECRET: PLAID_SIMULATOR_SECRET,
      PLAID_TEMPLATE_ID: templateId,
      PLAID_BASE_URL: server.baseUrl,
    },

    completeHostedFlow: async (ref: string, outcome?: SimulatedOutcome) => {
      const latest = requireLatest(ref);
      if (latest.status !== 'active') {
        throw new SimulatorControlError(
          `the latest Identity Verification of ${ref} is ${latest.status}; only an active attempt has a hosted flow to complete (retry first)`,
          400,
        );
      }
      const convention = plaidConventionalOutcome(latest.user);
      const decided = outcome ?? convention.outcome;
      if (decided === 'approved') {
        transition(latest, { kind: 'success' }, true);
      } else {
        const preferred = convention.failingStep ?? 'documentary_verification';
        transition(latest, { kind: 'failed', step: failingStepFor(latest.plan, preferred) }, true);
      }
    },

    setUserState: async (ref: string, state: string) => {
      const latest = requireLatest(ref);
      const parsed = parseState(state);
      if (!parsed) {
        throw new SimulatorControlError(
          `unknown state ${state}: expected one of ${PLAID_STATUSES.join(', ')} or failed:<step> (${PLAID_STEPS.join(', ')})`,
          400,
        );
      }
      let phase: Phase;
      switch (parsed.status) {
        case 'failed': {
          const step = parsed.step ?? failingStepFor(latest.plan, 'documentary_verification');
          if (latest.plan[step] !== 'required')
            throw new SimulatorControlError(`step ${step} is ${latest.plan[step]} in this attempt`, 400);
          phase = { kind: 'failed', step };
          break;
        }
        case 'active':
        case 'success':
        case 'pending_review':
        case 'expired':
        case 'canceled':
          phase = { kind: parsed.status };
          break;
      }
      if (phase.kind === 'expired' || phase.kind === 'canceled') {
        if (latest.status !== 'active' && latest.status !== phase.kind)
          // Only an unfinished attempt expires or is canceled: restart it first so its steps read sensibly.
          moveAttempt(latest, { kind: 'active' });
      }
      // A status change made "via the dashboard or the API": STATUS_UPDATED when the status changes.
      transition(latest, phase, false);
    },

    users: (): ReadonlyArray<SimulatedUser> =>
      [...histories.entries()].map(([ref, history]) => ({
        ref,
        providerStatus: (history[history.length - 1] as Attempt).status,
        attempts: history.length,
      })),
    attempts: (ref: string) => (histories.get(ref) ?? []).map(view),
    ...simulatorPlumbing(server, deliverer),
  };
  return simulator;
}
