/**
 * The simulators' control API as the docs name it, against @kycport/simulators (issue 15):
 * - docs/testing.md "Control API": the HTTP routes are exactly `controlRoutes`; the in-process
 *   members are exactly `ProviderSimulator`'s control members; the `injectFault` rule and the
 *   `requests` entry shapes are `FaultRule` and `RequestLogEntry`.
 * - docs/testing.md "Faults": every row parses with `parseFaultRule` unchanged, every `Fault` type
 *   and field has a row, and "Acted?" is what a simulator server does (a route counts the requests
 *   it handled).
 * - The "Fault types" paragraph of each docs/simulators page splits the types as the table does.
 * - docs/testing.md "Webhook byte layouts" is `WEBHOOK_LAYOUTS`.
 * - Every control route any page names (backticked, or in a `curl` line) exists.
 */
import { request } from 'node:http';
import {
  WEBHOOK_LAYOUTS,
  controlRoutes,
  parseFaultRule,
  startSimulator,
  startSimulatorServer,
} from '@kycport/simulators';
import type { Fault, ProviderSimulator, SimulatedProviderId } from '@kycport/simulators';
import { discriminatedMembers, typeProperties } from './api-types';
import {
  backticked,
  docPages,
  backtickedCell,
  memberName,
  objectShape,
  paragraphStartingWith,
  sorted,
} from './doc-shapes';
import { cell, readDoc, sectionTable } from './markdown-tables';
import type { TableRow } from './markdown-tables';

const testing = readDoc('testing.md');
const faultMembers = discriminatedMembers('simulators', 'Fault', 'type');
const faultTags = faultMembers.map((member) => member.tag);

const notCalled = (): ProviderSimulator => {
  throw new Error('the routes are only listed here');
};
const COMMON_ROUTES = controlRoutes(notCalled).map((route) => `${route.method} /__control${route.pattern}`);

/** `POST /__control/users/{ref}/complete` -> a regex matching that route's concrete paths too. */
function routeRegex(route: string): RegExp {
  const escaped = route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/**
 * Members of `ProviderSimulator` that are not part of the control API: what it is and how to
 * reach it (documented with the simulator's start, e.g. `sim.adapterSettings`), and `close()`.
 */
const NOT_CONTROL = ['provider', 'baseUrl', 'adapterSettings', 'environment', 'close'];

describe('docs/testing.md "Control API" = the simulators control API', () => {
  const rows = sectionTable(testing, 'Control API');

  it('lists exactly the HTTP routes of controlRoutes', () => {
    const documented = rows.flatMap((row) =>
      backtickedCell(row, 'HTTP').filter((span) => /^(GET|POST|PUT|DELETE) \/__control/.test(span)),
    );
    expect(sorted(documented)).toEqual(sorted(COMMON_ROUTES));
  });

  it('lists exactly the control members of ProviderSimulator', () => {
    const documented = rows.flatMap((row) => backtickedCell(row, 'In-process').map(memberName));
    const members = typeProperties('simulators', 'ProviderSimulator').map((property) => property.name);
    expect(members).toEqual(expect.arrayContaining(NOT_CONTROL));
    expect(sorted(documented.map(String))).toEqual(
      sorted(members.filter((name) => !NOT_CONTROL.includes(name))),
    );
  });

  it('names the fault rule as FaultRule is', () => {
    const row = rows.find(
      (candidate) => memberName(backtickedCell(candidate, 'In-process')[0] ?? '') === 'injectFault',
    );
    expect(objectShape(cell(row ?? {}, 'In-process'))).toEqual(typeProperties('simulators', 'FaultRule'));
  });

  it('names the request log entry as RequestLogEntry is', () => {
    const row = rows.find((candidate) => cell(candidate, 'In-process') === 'requests');
    expect(objectShape(cell(row ?? {}, 'Does'))).toEqual(typeProperties('simulators', 'RequestLogEntry'));
  });
});

/** The JSON faults of a "Fault (JSON)" cell (`{...}` stands for any body). */
function faultsOf(row: TableRow): ReadonlyArray<Record<string, unknown>> {
  return backtickedCell(row, 'Fault (JSON)').map(
    (span) => JSON.parse(span.replace('{...}', '{}')) as Record<string, unknown>,
  );
}

/** Sends one POST and waits until it is answered, refused, reset or timed out. */
function send(url: string): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    outgoing.on('response', (response) => {
      response.on('close', () => resolve());
      response.resume();
    });
    outgoing.on('error', () => resolve());
    outgoing.setTimeout(2_000, () => outgoing.destroy());
    outgoing.end('{}');
  });
}

describe('docs/testing.md "Faults" = the Fault union and what the simulator does', () => {
  const rows = sectionTable(testing, 'Faults');
  const faults = rows.flatMap((row) => faultsOf(row).map((fault) => ({ fault, acted: cell(row, 'Acted?') })));

  it.each(faults.map(({ fault }) => [JSON.stringify(fault), fault] as const))(
    '%s is a fault rule parseFaultRule keeps as written',
    (_name, fault) => {
      expect(parseFaultRule({ fault })?.fault).toEqual(fault);
    },
  );

  it('has a row for every Fault type, and shows every field of each', () => {
    for (const member of faultMembers) {
      const shown = faults
        .filter(({ fault }) => fault.type === member.tag)
        .flatMap(({ fault }) => Object.keys(fault));
      expect([member.tag, sorted(shown)]).toEqual([
        member.tag,
        sorted(member.properties.map((property) => property.name)),
      ]);
    }
  });

  it('says whether the simulator acted, as a simulator server does', async () => {
    let handled = 0;
    const server = await startSimulatorServer({
      routes: [
        {
          method: 'POST',
          pattern: '/act',
          handler: () => {
            handled += 1;
            return { status: 201, body: { acted: true } };
          },
        },
      ],
    });
    try {
      const seen: string[] = [];
      for (const { fault, acted } of faults) {
        const quick = { ...fault, ...('ms' in fault ? { ms: 40 } : {}) } as unknown as Fault;
        handled = 0;
        server.injectFault({ fault: quick });
        await send(`${server.baseUrl}/act`);
        await new Promise((resolve) => setTimeout(resolve, 80));
        const entry = server.requests[server.requests.length - 1];
        const behaviour = handled === 0 ? 'no' : entry?.fault === undefined ? 'late' : 'yes';
        seen.push(`${JSON.stringify(fault)}: ${behaviour}`);
        expect(acted).toMatch(/^(no|yes|late)$/);
        expect(`${JSON.stringify(fault)}: ${behaviour}`).toBe(`${JSON.stringify(fault)}: ${acted}`);
      }
      expect(seen).toHaveLength(faults.length);
    } finally {
      await server.close();
    }
  });

  it.each(['plu', 'p100', 'plaid'])(
    'docs/simulators/%s.md splits the fault types as the table does',
    (provider) => {
      // The sentence "Fault types (table in ...): before the request acts, ...; after it acted, ...".
      const paragraph = paragraphStartingWith(readDoc(`simulators/${provider}.md`), 'Fault types (table in');
      const text = /^[\s\S]*?\.(\s|$)/.exec(paragraph)?.[0] ?? '';
      const [before = '', after = ''] = text.split(/after it\s+acted/);
      const tags = (part: string): ReadonlyArray<string> =>
        sorted(backticked(part).filter((span) => faultTags.includes(span)));
      const tableTags = (actedValues: ReadonlyArray<string>): ReadonlyArray<string> =>
        sorted(
          faults.filter(({ acted }) => actedValues.includes(acted)).map(({ fault }) => String(fault.type)),
        );
      expect(tags(before)).toEqual(tableTags(['no', 'late']));
      expect(tags(after)).toEqual(tableTags(['yes']));
      const fields = new Set(
        faultMembers.flatMap((member) => member.properties.map((property) => property.name)),
      );
      const unknown = backticked(text).filter(
        (span) => !faultTags.includes(span) && !fields.has(span.split(':')[0]?.trim() ?? ''),
      );
      expect(unknown).toEqual([]);
    },
  );
});

describe('docs/testing.md "Webhook byte layouts" = WEBHOOK_LAYOUTS', () => {
  it('lists exactly the layouts', () => {
    const rows = sectionTable(testing, 'Webhook byte layouts');
    expect(sorted(rows.map((row) => backtickedCell(row, 'Layout')[0] ?? ''))).toEqual(
      sorted(WEBHOOK_LAYOUTS),
    );
  });
});

/** `METHOD /__control/...` of every backticked route and `curl` line of a page. */
function namedControlRoutes(text: string): ReadonlyArray<string> {
  const spans = backticked(text).filter((span) => /^(GET|POST|PUT|DELETE) \/__control\/\S*$/.test(span));
  const curls = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^\s*curl\b/.test(line) && line.includes('/__control'))
    .map((line) => {
      const path = /\/__control[^\s'"]*/.exec(line)?.[0] ?? '';
      const method = /-X\s+(\w+)/.exec(line)?.[1] ?? (/\s-d\s/.test(line) ? 'POST' : 'GET');
      return `${method} ${path}`;
    });
  return [...spans, ...curls];
}

/** The JSON bodies of the `curl` lines of a page that post to `/__control/faults`. */
function faultBodies(text: string): ReadonlyArray<string> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^\s*curl\b/.test(line) && /\/__control\/faults\b/.test(line) && /\s-d\s/.test(line))
    .map((line) => /\s-d\s+'([^']*)'/.exec(line)?.[1] ?? '');
}

/** Whether a running simulator has a control route for `METHOD /__control/...` (an unknown path falls through). */
async function probe(sim: ProviderSimulator, route: string): Promise<boolean> {
  const [method = 'GET', path = ''] = route.split(' ');
  const answer = await fetch(`${sim.baseUrl}${path.replace(/\{[^}]+\}/g, 'probe')}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'GET' ? undefined : JSON.stringify({ code: 'not-a-code', count: -1 }),
  });
  const body = await answer.text();
  return !body.includes('no such endpoint in the simulator');
}

describe('control routes named anywhere in the docs', () => {
  const simulators = new Map<SimulatedProviderId, ProviderSimulator>();
  afterAll(async () => {
    for (const sim of simulators.values()) await sim.close();
  });

  const named = docPages().flatMap(({ path, text }) =>
    namedControlRoutes(text).map((route) => [path, route] as const),
  );

  it('finds them', () => {
    expect(named.length).toBeGreaterThan(20);
  });

  const bodies = docPages().flatMap(({ path, text }) =>
    faultBodies(text).map((body) => [path, body] as const),
  );

  it.each(bodies.map(([page, body]) => [`${page}: ${body}`, body] as const))(
    '%s is a fault rule parseFaultRule keeps as written',
    (_name, body) => {
      const rule = JSON.parse(body) as { fault?: unknown };
      expect(parseFaultRule(rule)?.fault).toEqual(rule.fault);
    },
  );

  it.each(named.map(([page, route]) => [`${page}: ${route}`, page, route] as const))(
    '%s exists',
    async (_name, page, route) => {
      if (COMMON_ROUTES.some((common) => routeRegex(common).test(route))) return;
      // A provider's own route (e.g. Plu's seed): its page's simulator must answer it.
      const provider = /simulators\/(plu|p100|plaid)\.md$/.exec(page)?.[1] as SimulatedProviderId | undefined;
      const candidates: ReadonlyArray<SimulatedProviderId> = provider ? [provider] : ['plu', 'p100', 'plaid'];
      const found: boolean[] = [];
      for (const id of candidates) {
        const sim = simulators.get(id) ?? (await startSimulator(id));
        simulators.set(id, sim);
        found.push(await probe(sim, route));
      }
      expect([route, found.includes(true)]).toEqual([route, true]);
    },
  );
});
