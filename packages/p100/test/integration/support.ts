/** Shared helpers of the P100 integration tests against the simulator (not a test file). */
import * as E from 'fp-ts/Either';
import { KycException, readUserRef } from '@kycport/core';
import type { CreateUserInput, KycError, UserRef } from '@kycport/core';
import { P100_SIMULATOR_API_KEY, startWebhookRecorder } from '@kycport/simulators';
import type { ProviderSimulator, WebhookRecorder } from '@kycport/simulators';
import { countingObserver } from '@kycport/testing';
import { p100Adapter } from '../../src';
import createUserRequest from '../fixtures/create-user-request.json';
import addUserVerificationRequest from '../fixtures/add-user-verification-request.json';
import startVerificationRequest from '../fixtures/start-verification-request.json';
import { hostedOptions, p100Ref, validInput } from '../support';

export { hostedOptions, p100Ref };
export type { ReceivedWebhook, WebhookRecorder as Receiver } from '@kycport/simulators';

/**
 * The adapter against the simulator, built as a host without the container would: the settings are
 * validated once by `parseConfig`, then `create` builds from them. With a call counter.
 */
export function wireP100(
  sim: Pick<ProviderSimulator, 'adapterSettings'>,
  overrides: Record<string, unknown> = {},
) {
  const observer = countingObserver();
  const config = p100Adapter.parseConfig({ ...sim.adapterSettings, ...overrides });
  if (E.isLeft(config)) throw new KycException(config.left);
  const { provider, webhooks, close } = p100Adapter.create(config.right, { observer });
  return { provider, webhooks, observer, close };
}

/**
 * The simulator's own id of a user (its externalUserId) from the ref the adapter handed out
 * (`p100:<externalUserId>`; a bare ref is already the id): for the simulator's controls and paths.
 */
export function simId(ref: UserRef): string {
  return readUserRef(ref).id;
}

export function right<T>(result: E.Either<KycError, T>): T {
  if (E.isLeft(result)) throw new Error(`expected success, got ${result.left.kind}: ${result.left.message}`);
  return result.right;
}

export function left<T>(result: E.Either<KycError, T>): KycError {
  if (E.isRight(result)) throw new Error('expected a KycError');
  return result.left;
}

/** A valid applicant (P100's documented example) with the given externalId and family name. */
export function inputFor(externalId: string, family = 'Kowalski'): CreateUserInput {
  return {
    applicant: { ...validInput.applicant, externalId, name: { given: 'Jan', family } },
    providerOptions: { p100: hostedOptions },
  };
}

/** The Create User Account body the adapter sends for `inputFor` (P100's documented example). */
export function createUserBody(externalUserId: string, lastName = 'Kowalski'): Record<string, unknown> {
  return { ...createUserRequest, externalUserId, lastName };
}

/** The Creating KYC Verification body the adapter sends for `hostedOptions` (P100's documented example). */
export function startVerificationBody(externalUserId: string): Record<string, unknown> {
  return { ...startVerificationRequest, externalUserId };
}

export interface Answer {
  readonly status: number;
  readonly json: unknown;
}

/** A request straight to the simulator with its API key (to arrange state the adapter does not make). */
export async function call(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { 'x-api-key': P100_SIMULATOR_API_KEY };
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

/** A multipart body of `files` under the field `files`. */
export function filesForm(files: ReadonlyArray<{ type: string; size: number }>): FormData {
  const form = new FormData();
  files.forEach((file, index) =>
    form.append('files', new Blob([new Uint8Array(file.size).fill(7)], { type: file.type }), `f${index}`),
  );
  return form;
}

/** A webhook endpoint on loopback for the simulator's deliveries. */
export function startReceiver(): Promise<WebhookRecorder> {
  return startWebhookRecorder('/webhooks/p100');
}

/**
 * The Add User Verification body (P100's documented example) for `externalUserId`, with a document
 * number of its own (P466 refuses a number another user has).
 */
export function documentDataBody(externalUserId: string, documentNumber: string): Record<string, unknown> {
  return { ...addUserVerificationRequest, externalUserId, documentNumber };
}
