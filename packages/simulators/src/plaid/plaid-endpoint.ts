/**
 * What every Plaid endpoint checks before its own work: a JSON object body, the credentials (in the
 * `PLAID-CLIENT-ID` / `PLAID-SECRET` headers or the body), the `Plaid-Version` header and no unknown
 * fields. https://plaid.com/docs/api/#api-access
 */
import type { Route, SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { asRecord, requestHeader } from '../simulator-wire';
import {
  PLAID_SIMULATOR_API_VERSION,
  PLAID_SIMULATOR_CLIENT_ID,
  PLAID_SIMULATOR_SECRET,
} from './plaid-settings';
import type { PlaidRefusalStyle } from './plaid-settings';
import { invalidField, missingFields, plaidError, refusal, unknownFields } from './plaid-wire';

export type PlaidBody = Record<string, unknown>;

export function unknownOf(body: PlaidBody, allowed: ReadonlyArray<string>): string[] {
  return Object.keys(body).filter((key) => !allowed.includes(key));
}

export function missingOf(body: PlaidBody, required: ReadonlyArray<string>): string[] {
  return required.filter((key) => body[key] === undefined || body[key] === null);
}

/**
 * The simulator knows one template. Another one is refused with an undocumented answer (worded by
 * `refusalStyle`).
 */
export function templateProblem(
  settings: { readonly templateId: string; readonly refusalStyle: PlaidRefusalStyle },
  value: unknown,
): SimulatorResponse | undefined {
  if (typeof value !== 'string') return invalidField('template_id must be a string');
  if (value !== settings.templateId)
    return refusal(
      settings.refusalStyle,
      `template_id ${value} does not match any Identity Verification template`,
    );
  return undefined;
}

function credentialsProblem(request: SimulatorRequest, body: PlaidBody): SimulatorResponse | undefined {
  const clientId = requestHeader(request, 'plaid-client-id') ?? body.client_id;
  const secret = requestHeader(request, 'plaid-secret') ?? body.secret;
  const missing = [
    ...(clientId === undefined || clientId === '' ? ['client_id'] : []),
    ...(secret === undefined || secret === '' ? ['secret'] : []),
  ];
  if (missing.length > 0) return missingFields(missing);
  if (clientId !== PLAID_SIMULATOR_CLIENT_ID || secret !== PLAID_SIMULATOR_SECRET)
    return plaidError('INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided');
  return undefined;
}

function versionProblem(request: SimulatorRequest): SimulatorResponse | undefined {
  const version = requestHeader(request, 'plaid-version');
  if (version === undefined || version === PLAID_SIMULATOR_API_VERSION) return undefined;
  return plaidError(
    'INVALID_REQUEST',
    'INVALID_HEADERS',
    `Plaid-Version must be ${PLAID_SIMULATOR_API_VERSION} (the only version the simulator speaks)`,
  );
}

/** A `POST` route: JSON body, credentials, Plaid-Version, known fields; then the endpoint itself. */
export function plaidEndpoint(
  pattern: string,
  allowed: ReadonlyArray<string>,
  handler: (body: PlaidBody) => SimulatorResponse | Promise<SimulatorResponse>,
): Route {
  return {
    method: 'POST',
    pattern,
    handler: async (request) => {
      const contentType = requestHeader(request, 'content-type') ?? '';
      const body = asRecord(request.body);
      if (!contentType.toLowerCase().startsWith('application/json') || !request.bodyIsJson || !body) {
        return plaidError(
          'INVALID_REQUEST',
          'INVALID_BODY',
          'body could not be parsed as JSON; send a JSON object with Content-Type: application/json',
        );
      }
      const problem = credentialsProblem(request, body) ?? versionProblem(request);
      if (problem) return problem;
      const unknown = unknownOf(body, allowed);
      if (unknown.length > 0) return unknownFields(unknown);
      return handler(body);
    },
  };
}
