/**
 * `seedUsers(count, options?)`: a test convenience, not a Plu rule. Puts `count` users straight into
 * the simulator's memory as if each had been created through `POST /v2/partner/card/users` (state
 * `pending_kyc`, a Persona inquiry, no retries, listed after the users already there, in order), with
 * no HTTP round trip, idempotency key or per-create email check, so a test can have 20 000 users in
 * milliseconds. Creation sends no webhook, so neither does seeding. Also over HTTP:
 * `POST /__control/users/seed` `{ count, lastName?, program? }` answers `{ serviceIds }`.
 */
import { randomBytes } from 'node:crypto';
import { SimulatorControlError } from '../provider-simulator';
import type { Route } from '../simulator-server';
import { newInquiry, newServiceId } from './plu-state';
import type { PluSimulatorContext, PluUserRecord } from './plu-state';
import type { PluProgram } from './plu-wire';

/** The most users one `seedUsers` call creates. */
export const PLU_SIMULATOR_MAX_SEED = 100_000;

/** Options of `PluSimulator.seedUsers`: the seeded users' last name and card program. */
export interface PluSeedOptions {
  /** Every seeded user's last name (default `Seeded`); a sandbox keyword at its end decides the hosted flow. */
  readonly lastName?: string;
  /** Default `custodial`. */
  readonly program?: PluProgram;
}

function checkedSeed(
  count: unknown,
  options: unknown,
): { count: number; lastName: string; program: PluProgram } {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > PLU_SIMULATOR_MAX_SEED)
    throw new SimulatorControlError(
      `plu simulator: count must be an integer from 1 to ${PLU_SIMULATOR_MAX_SEED}`,
      400,
    );
  const { lastName, program } = (typeof options === 'object' && options !== null ? options : {}) as {
    lastName?: unknown;
    program?: unknown;
  };
  if (
    lastName !== undefined &&
    (typeof lastName !== 'string' || lastName.length < 1 || lastName.length > 100)
  )
    throw new SimulatorControlError('plu simulator: lastName must be 1-100 characters', 400);
  if (program !== undefined && program !== 'custodial' && program !== 'non_custodial')
    throw new SimulatorControlError('plu simulator: program must be custodial or non_custodial', 400);
  return { count, lastName: lastName ?? 'Seeded', program: program ?? 'custodial' };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random base62 characters drawn from one buffer refilled 64 KiB at a time: one `randomBytes` call
 * per two ids would make 20 000 users take a second.
 */
function pooledBase62(): (length: number) => string {
  let pool = randomBytes(0);
  let at = 0;
  return (length) => {
    if (at + length > pool.length) {
      pool = randomBytes(65_536);
      at = 0;
    }
    let text = '';
    for (let index = 0; index < length; index++) text += BASE62[(pool[at + index] ?? 0) % BASE62.length];
    at += length;
    return text;
  };
}

/** A service id not in use yet (random ids do not collide in practice; this makes sure). */
function freshServiceId(context: PluSimulatorContext, random: (length: number) => string): string {
  for (;;) {
    const serviceId = newServiceId(context, random);
    if (!context.users.has(serviceId)) return serviceId;
  }
}

/** Seeds the users (see the file comment); returns their serviceIds in list order. */
export async function seedPluUsers(
  context: PluSimulatorContext,
  count: number,
  options?: PluSeedOptions,
): Promise<ReadonlyArray<string>> {
  const seed = checkedSeed(count, options);
  const createdAt = new Date(context.now()).toISOString();
  const serviceIds: string[] = [];
  const random = pooledBase62();
  for (let index = 0; index < seed.count; index++) {
    const serviceId = freshServiceId(context, random);
    const user: PluUserRecord = {
      serviceId,
      // Unique per partner, as Plu requires: derived from the unique serviceId.
      email: `${serviceId.toLowerCase()}@seeded.example.com`,
      firstName: 'Seeded',
      lastName: seed.lastName,
      program: seed.program,
      createdAt,
      state: 'pending_kyc',
      retryCount: 0,
      inquiryId: '',
      verificationUrl: '',
      extraVerificationAsked: false,
    };
    newInquiry(context, user, random);
    context.users.set(serviceId, user);
    serviceIds.push(serviceId);
  }
  return serviceIds;
}

/** `POST /__control/users/seed` `{ count, lastName?, program? }` -> `{ serviceIds }`. */
export function pluControlRoutes(
  seedUsers: (count: number, options?: PluSeedOptions) => Promise<ReadonlyArray<string>>,
): ReadonlyArray<Route> {
  return [
    {
      method: 'POST',
      pattern: '/users/seed',
      handler: async (request) => {
        const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as {
          count?: unknown;
          lastName?: unknown;
          program?: unknown;
        };
        try {
          const serviceIds = await seedUsers(body.count as number, {
            lastName: body.lastName as string | undefined,
            program: body.program as PluProgram | undefined,
          });
          return { status: 200, body: { serviceIds } };
        } catch (error) {
          if (error instanceof SimulatorControlError)
            return { status: error.status, body: { error: error.message } };
          throw error;
        }
      },
    },
  ];
}
