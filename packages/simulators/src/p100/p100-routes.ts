/**
 * The P100 Partner API endpoints the simulator serves, behind the `x-api-key` check: create user,
 * start a verification, the redirect page, the KYC status, the file uploads and Add User
 * Verification. Sources: P100's Partner API docs (Create User Account, Creating KYC Verification,
 * Get KYC Status).
 */
import { randomUUID } from 'node:crypto';
import type { Route, RouteHandler, SimulatorRequest, SimulatorResponse } from '../simulator-server';
import { requestHeader } from '../simulator-wire';
import { kycFiles, poaFiles } from './p100-file-routes';
import { p100RedirectPage } from './p100-redirect-page';
import { P100_SIMULATOR_API_KEY } from './p100-settings';
import { newVerification } from './p100-state';
import type { P100SimulatorContext, P100UserRecord } from './p100-state';
import { addUserVerification } from './p100-user-verification';
import {
  Checks,
  DOCUMENT_TYPES,
  INCOME_SOURCES,
  OCCUPATIONS,
  OPEN_ACCOUNT_REASONS,
  POA_COUNTRIES,
  accessDenied,
  fieldsRequiredBy,
  jsonBody,
  missingAsInvalid,
  notAnObject,
  p100Error,
  validationError,
} from './p100-wire';

type P100Handler = (context: P100SimulatorContext, request: SimulatorRequest) => SimulatorResponse;

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

/** P100's key check: `xo1` without a key, `xo2` with a wrong one. */
function authenticated(context: P100SimulatorContext, handler: P100Handler): RouteHandler {
  return (request) => {
    const key = requestHeader(request, 'x-api-key');
    if (key === undefined || key.trim() === '') return accessDenied('xo1');
    if (key !== P100_SIMULATOR_API_KEY) return accessDenied('xo2');
    return handler(context, request);
  };
}

/** The create-user checks; returns the P403 messages and the fields the user record keeps. */
function checkCreateUser(body: Readonly<Record<string, unknown>>) {
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
  return { messages: missingAsInvalid(checks), externalUserId, lastName, country };
}

function createUser(context: P100SimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const body = jsonBody(request);
  if (!body) return notAnObject();
  const { messages, externalUserId, lastName, country } = checkCreateUser(body);
  if (messages.length > 0 || externalUserId === undefined || lastName === undefined)
    return validationError(messages);
  // "Attempts to reuse an existing ID will result in an error" (P411 `user-exists`, seen in the wild).
  if (context.users.has(externalUserId)) return p100Error('P411');
  const user: P100UserRecord = {
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
  context.users.set(externalUserId, user);
  return {
    status: 201,
    body: { userId: user.userId, poaRequiredForExtended: POA_COUNTRIES.includes(country ?? '') },
  };
}

function startVerification(context: P100SimulatorContext, request: SimulatorRequest): SimulatorResponse {
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
  const user = context.users.get(externalUserId);
  if (!user) return p100Error('P412');
  if (user.status === 'VERIFIED') return p100Error('P442');
  // P430 is documented on Add User Verification only: the cap here is a variant (default: none).
  if (context.startVerificationCap !== 'allow' && user.attempts >= context.maxAttempts)
    return context.startVerificationCap === 'P430' ? p100Error('P430') : p100Error('P499');
  user.attempts += 1;
  const verificationId = newVerification(user, 'hosted');
  // The host learns the new state from this answer: no webhook for it.
  return { status: 201, body: { verificationId } };
}

function kycStatus(context: P100SimulatorContext, request: SimulatorRequest): SimulatorResponse {
  const user = context.users.get(request.params.externalUserId as string);
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
}

export function p100Routes(context: P100SimulatorContext): ReadonlyArray<Route> {
  const route = (method: string, pattern: string, handler: P100Handler): Route => ({
    method,
    pattern,
    handler: authenticated(context, handler),
  });
  return [
    route('POST', P100_PATHS.createUser, createUser),
    route('POST', P100_PATHS.startVerification, startVerification),
    // Opened by the user's browser: no x-api-key.
    {
      method: 'GET',
      pattern: P100_PATHS.verificationRedirect,
      handler: (request) => p100RedirectPage(context, request),
    },
    route('GET', P100_PATHS.kycStatus, kycStatus),
    route('POST', P100_PATHS.kycFiles, kycFiles),
    route('POST', P100_PATHS.poaFiles, poaFiles),
    route('POST', P100_PATHS.addUserVerification, addUserVerification),
  ];
}
