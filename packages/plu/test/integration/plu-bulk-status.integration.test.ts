/**
 * `getStatuses` against the Plu simulator (loopback), users seeded with `seedUsers`: one pass over
 * List Users for a batch, counted in the simulator's own request log, the states each user reached
 * at Plu, `not_found` for users Plu does not have, validation entries for refs that are not Plu's,
 * a failed page failing the call, and the pass on a server that caps pages at 50 and sends no
 * `total` (the short pages do not end the list; an empty page does).
 */
import { PLU_SIMULATOR_MAX_SEED, startPluSimulator } from '@kycport/simulators';
import type { PluSimulator, PluSimulatorOptions } from '@kycport/simulators';
import type { BulkStatusEntry, UserRef } from '@kycport/core';
import { LIST, left, pluRef, right, wire } from './support';

const USERS = 1_000;

/** The adapter's bulk read (the built provider's type leaves the port's optional method optional). */
function getStatuses(wired: ReturnType<typeof wire>, refs: ReadonlyArray<UserRef>) {
  const read = wired.provider.getStatuses;
  if (read === undefined) throw new Error('the Plu provider has no getStatuses');
  return read(refs);
}

function summary(list: ReadonlyArray<BulkStatusEntry>): ReadonlyArray<readonly [string, string]> {
  return list.map((entry) =>
    'result' in entry ? [entry.ref, entry.result.state.status] : [entry.ref, `error:${entry.error.kind}`],
  );
}

const VARIANTS: ReadonlyArray<{
  readonly name: string;
  readonly options: PluSimulatorOptions;
  /** List requests a pass over the whole list costs (users / page size, plus an empty page without total). */
  readonly fullPass: number;
  readonly pageSize: number;
}> = [
  { name: 'defaults (pages of 100 with total)', options: {}, fullPass: 10, pageSize: 100 },
  {
    name: 'pages capped at 50, no total',
    options: { pageLimitCap: 50, omitTotal: true },
    fullPass: 21,
    pageSize: 50,
  },
];

describe.each(VARIANTS)('plu getStatuses on the simulator: $name', ({ options, fullPass, pageSize }) => {
  let sim: PluSimulator;
  let serviceIds: ReadonlyArray<string>;
  let wired: ReturnType<typeof wire>;

  beforeAll(async () => {
    expect(USERS).toBeLessThan(PLU_SIMULATOR_MAX_SEED);
    sim = await startPluSimulator(options);
    serviceIds = await sim.seedUsers(USERS);
    wired = wire(sim);
  });
  afterAll(async () => {
    wired.close();
    await sim.close();
  });
  afterEach(() => sim.clearFaults());

  const listRequests = (): number =>
    sim.requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith(LIST)).length;

  it('reads each user state Plu has, stopping at the page of the last user asked for', async () => {
    await sim.completeHostedFlow(serviceIds[10]!, 'approved');
    await sim.completeHostedFlow(serviceIds[420]!, 'denied');
    await sim.setUserState(serviceIds[430]!, 'needsVerification');
    const refs = [430, 10, 420, 3].map((position) => pluRef(serviceIds[position]!));
    const before = listRequests();
    const result = right(await getStatuses(wired, refs)());
    expect(summary(result)).toEqual([
      [refs[0], 'action_required'],
      [refs[1], 'approved'],
      [refs[2], 'denied'],
      [refs[3], 'pending'],
    ]);
    // User 430 is on page floor(430 / pageSize) + 1: no page after it is read.
    expect(listRequests() - before).toBe(Math.floor(430 / pageSize) + 1);
  });

  it('reads the whole list once for every user, in the order asked', async () => {
    const refs = [...serviceIds].reverse().map(pluRef);
    const before = listRequests();
    const result = right(await getStatuses(wired, refs)());
    expect(result.map((entry) => entry.ref)).toEqual(refs);
    expect(result.every((entry) => 'result' in entry && entry.result.userRef === entry.ref)).toBe(true);
    expect(listRequests() - before).toBe(Math.ceil(USERS / pageSize));
  });

  it('answers not_found for users Plu does not have (one full pass) and validation for other refs', async () => {
    const refs = [
      pluRef('kycsim-user-notthere000000'),
      pluRef(serviceIds[5]!),
      'plaid:idv_abc' as UserRef,
      serviceIds[6] as UserRef,
    ];
    const before = listRequests();
    const result = right(await getStatuses(wired, refs)());
    expect(summary(result)).toEqual([
      [refs[0], 'error:not_found'],
      [refs[1], 'pending'],
      [refs[2], 'error:validation'],
      [refs[3], 'pending'],
    ]);
    expect(listRequests() - before).toBe(fullPass);
  });

  it('fails the whole call when a page fails, and reads nothing after it', async () => {
    sim.injectFault({
      fault: { type: 'status', status: 401, body: { status: 'error', message: 'UNAUTHORIZED' } },
      method: 'GET',
      path: LIST,
      times: 1,
    });
    const before = listRequests();
    const error = left(await getStatuses(wired, [pluRef(serviceIds[999]!)])());
    expect(error).toMatchObject({ kind: 'unauthorized', provider: 'plu' });
    expect(listRequests() - before).toBe(1);
  });
});
