/**
 * `createKycRouter`: several providers behind one `KycProvider`, for migrations and per-market
 * providers. A call on an existing user goes to the provider its ref names, whatever the default
 * is now; `createUser` picks a provider by the rules of `route-rules.ts`; webhooks are routed by
 * provider (`router-webhooks.ts`). The providers are adapters built by their `defineKycAdapter`
 * definition (the container's, or `createXProvider`), so they hand out and check qualified refs.
 */
import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import {
  KycException,
  configError,
  foreignRefIssue,
  isQualifyingProviderId,
  readUserRef,
  validationError,
  withFields,
} from '@kycport/core';
import type {
  BulkStatusEntry,
  CallOptions,
  ConfigError,
  CreateUserInput,
  CreateUserResult,
  KycCapabilities,
  KycError,
  KycIssue,
  KycProvider,
  KycProviderWithWebhooks,
  KycWebhookEventType,
  KycWebhookHandler,
  ProviderId,
  UserRef,
  ValidationError,
} from '@kycport/core';
import { combineCapabilities } from './router-capabilities';
import { chooseProvider, routeRuleIssues } from './route-rules';
import type { RouteReason, RouteRules } from './route-rules';
import { routerWebhooks } from './router-webhooks';
import type { KycRouterWebhooks } from './router-webhooks';

/**
 * The router's provider id: its `KycProvider.id` and the `provider` of the errors it makes itself.
 */
export const ROUTER_ID = 'router';

/**
 * Options of `createKycRouter`: the providers, the routing rules for new users, and the provider of
 * bare refs.
 */
export interface KycRouterOptions<Provider extends KycProviderWithWebhooks = KycProviderWithWebhooks> {
  /** The configured providers, each with its own id. */
  readonly providers: ReadonlyArray<Provider>;
  /** Where new users go; default `{ default: <the first provider> }`. */
  readonly route?: RouteRules;
  /**
   * The provider a bare ref (stored before refs named their provider) belongs to. With one provider
   * a bare ref is that provider's; with several, a bare ref without this setting is a `validation`
   * error: kycport never guesses.
   */
  readonly legacyRefProvider?: ProviderId;
}

export interface RouterCreateUserOptions extends CallOptions {
  /** Creates the user at this provider, whatever the rules say (no failover). */
  readonly provider?: ProviderId;
}

/**
 * What the router's `createUser` resolves to: the provider's result, which rule chose the provider,
 * and the providers failed over from.
 */
export interface RoutedCreateUserResult extends CreateUserResult {
  /** The rule that chose the provider (`failover` when an earlier provider could not be reached). */
  readonly route: RouteReason | 'failover';
  /** The errors of the providers tried before the one that answered (each `network`, `not_sent`). */
  readonly failedOver: ReadonlyArray<KycError>;
}

/**
 * Several providers behind one `KycProvider`. `EventType` is the union of the providers' webhook
 * event names (`KycWebhookEventType`) when they are typed, else `string`.
 */
export interface KycRouter<EventType extends string = string> extends KycProviderWithWebhooks<EventType> {
  /** The ids of the configured providers. */
  readonly providers: ReadonlyArray<ProviderId>;
  /**
   * The webhook handler of every configured provider, chosen by the delivery's provider or
   * signature headers.
   */
  readonly webhooks: KycRouterWebhooks<EventType>;
  /**
   * Creates the user at the provider the rules choose (or `options.provider`), failing over when
   * the rules allow and nothing was sent.
   */
  createUser(
    input: CreateUserInput,
    options?: RouterCreateUserOptions,
  ): TE.TaskEither<KycError, RoutedCreateUserResult>;
  /** One provider's capabilities, by its id or by a ref it issued; `undefined` when not configured. */
  capabilitiesOf(providerOrRef: string): KycCapabilities | undefined;
  /** The configured provider a ref belongs to, or the `validation` error a call with it would get. */
  providerOf(ref: UserRef): E.Either<ValidationError, ProviderId>;
}

function refIssue(message: string): ValidationError {
  return validationError(ROUTER_ID, [{ path: 'ref', message }]);
}

/** Everything wrong with the options, as issues naming the option (never a value). */
export function kycRouterIssues(options: KycRouterOptions): ReadonlyArray<KycIssue> {
  const issues: KycIssue[] = [];
  const ids = options.providers.map((provider) => provider.id);
  if (ids.length === 0) issues.push({ path: 'providers', message: 'must name at least one provider' });
  ids.forEach((id, index) => {
    if (!isQualifyingProviderId(id)) {
      issues.push({
        path: `providers.${index}`,
        message: 'the id must be lower-case letters, digits, _ or -',
      });
    }
    if (ids.indexOf(id) !== index)
      issues.push({ path: `providers.${index}`, message: `"${id}" is configured twice` });
  });
  if (ids.length > 0) issues.push(...routeRuleIssues(options.route ?? { default: ids[0] ?? '' }, ids));
  if (options.legacyRefProvider !== undefined && !ids.includes(options.legacyRefProvider)) {
    issues.push({
      path: 'legacyRefProvider',
      message: `must name a configured provider (${ids.join(', ')})`,
    });
  }
  return issues;
}

/** Validates the options: a `config` error naming each bad option, or the router. */
export function buildKycRouter<Provider extends KycProviderWithWebhooks>(
  options: KycRouterOptions<Provider>,
): E.Either<ConfigError, KycRouter<KycWebhookEventType<Provider>>> {
  const issues = kycRouterIssues(options);
  return issues.length > 0 ? E.left(configError(ROUTER_ID, issues)) : E.right(assembleRouter(options));
}

/** Builds the router; throws a `KycException` (a `config` error) at start-up when the options are invalid. */
export function createKycRouter<Provider extends KycProviderWithWebhooks>(
  options: KycRouterOptions<Provider>,
): KycRouter<KycWebhookEventType<Provider>> {
  const built = buildKycRouter(options);
  if (E.isLeft(built)) throw new KycException(built.left);
  return built.right;
}

/** A `network` error that proves nothing reached the provider (refused connection, DNS), not a host abort. */
export function failsOver(error: KycError, options?: CallOptions): boolean {
  return (
    error.kind === 'network' &&
    error.outcome === 'not_sent' &&
    error.providerCode !== 'ABORTED' &&
    options?.signal?.aborted !== true
  );
}

function assembleRouter<Provider extends KycProviderWithWebhooks>(
  options: KycRouterOptions<Provider>,
): KycRouter<KycWebhookEventType<Provider>> {
  const byId = new Map(options.providers.map((provider) => [provider.id, provider]));
  const ids = [...byId.keys()];
  const rules: RouteRules = options.route ?? { default: ids[0] ?? '' };
  const legacy = options.legacyRefProvider ?? (ids.length === 1 ? ids[0] : undefined);
  const providerOf = (ref: UserRef): E.Either<ValidationError, ProviderId> => {
    if (typeof ref !== 'string') return E.left(refIssue('expected a user reference'));
    const read = readUserRef(ref, ids);
    if (read.qualified) {
      return byId.has(read.provider)
        ? E.right(read.provider)
        : E.left(refIssue(`${foreignRefIssue(read.provider, ROUTER_ID)}, which is not configured`));
    }
    return legacy !== undefined
      ? E.right(legacy)
      : E.left(refIssue('names no provider: qualify stored refs, or set legacyRefProvider'));
  };
  // Resolved synchronously and handed straight to the provider's task: no extra TaskEither step,
  // so the router adds no microtask to a call (docs/performance.md, "Router dispatch").
  const onRef =
    <A>(call: (provider: KycProvider) => TE.TaskEither<KycError, A>) =>
    (ref: UserRef): TE.TaskEither<KycError, A> => {
      const owner = providerOf(ref);
      if (E.isLeft(owner)) return TE.left(owner.left);
      const provider = byId.get(owner.right);
      return provider === undefined ? TE.left(refIssue('names no configured provider')) : call(provider);
    };
  const createUser = routedCreateUser(byId, rules);
  const all = options.providers.map((provider) => ({
    provider: provider.id,
    capabilities: provider.capabilities,
  }));
  const defaultProvider = all.find((entry) => entry.provider === rules.default) ?? all[0];
  return {
    id: ROUTER_ID,
    providers: ids,
    capabilities: defaultProvider ? combineCapabilities(all, defaultProvider) : ({} as KycCapabilities),
    createUser,
    getStatus: (ref, callOptions) => onRef((provider) => provider.getStatus(ref, callOptions))(ref),
    retry: (ref, callOptions) => onRef((provider) => provider.retry(ref, callOptions))(ref),
    submitVerification: (ref, input, callOptions) =>
      onRef((provider) => provider.submitVerification(ref, input, callOptions))(ref),
    getStatuses: (refs, callOptions) => bulkStatuses(byId, providerOf, refs, callOptions),
    capabilitiesOf: (providerOrRef) => {
      const direct = byId.get(providerOrRef);
      if (direct !== undefined) return direct.capabilities;
      const owner = providerOf(providerOrRef as UserRef);
      return E.isRight(owner) ? byId.get(owner.right)?.capabilities : undefined;
    },
    providerOf,
    webhooks: routerWebhooks(
      new Map(
        options.providers.map((provider) => [
          provider.id,
          // A provider's handler gives its own event names: TypeScript cannot follow that through
          // the generic `Provider`, so it is stated here.
          provider.webhooks as KycWebhookHandler<KycWebhookEventType<Provider>>,
        ]),
      ),
    ),
    close: () => options.providers.forEach((provider) => provider.close()),
  };
}

function routedCreateUser(
  byId: ReadonlyMap<ProviderId, KycProviderWithWebhooks>,
  rules: RouteRules,
): KycRouter['createUser'] {
  return (input, options) => {
    const { provider: explicit, ...callOptions } = options ?? {};
    if (explicit !== undefined && !byId.has(explicit)) {
      return TE.left(
        validationError(ROUTER_ID, [
          { path: 'options.provider', message: 'must name a configured provider' },
        ]),
      );
    }
    const choice = chooseProvider(rules, input, explicit);
    const failover = explicit === undefined ? (rules.failover ?? []) : [];
    const attempt =
      (
        id: ProviderId,
        route: RoutedCreateUserResult['route'],
        failedOver: ReadonlyArray<KycError>,
      ): TE.TaskEither<KycError, RoutedCreateUserResult> =>
      async () => {
        const provider = byId.get(id);
        if (provider === undefined) return E.left(refIssue('names no configured provider'));
        const answer = await provider.createUser(input, callOptions)();
        // withFields keeps the adapter's lazy `raw` unevaluated (a spread or Object.assign runs it).
        if (E.isRight(answer)) return E.right(withFields(answer.right, { route, failedOver }));
        const tried = new Set([choice.provider, ...failedOver.map((failed) => failed.provider), id]);
        const next = failover.find((candidate) => !tried.has(candidate));
        return failsOver(answer.left, callOptions) && next !== undefined
          ? attempt(next, 'failover', [...failedOver, answer.left])()
          : answer;
      };
    return attempt(choice.provider, choice.reason, []);
  };
}

/**
 * Many refs at once: grouped by provider; a provider with a bulk read (`getStatuses`) is asked once
 * for its group, the others per ref. Every ref gets its own entry, in the order given.
 */
function bulkStatuses(
  byId: ReadonlyMap<ProviderId, KycProviderWithWebhooks>,
  providerOf: (ref: UserRef) => E.Either<ValidationError, ProviderId>,
  refs: ReadonlyArray<UserRef>,
  callOptions: CallOptions | undefined,
): TE.TaskEither<KycError, ReadonlyArray<BulkStatusEntry>> {
  return async () => {
    const list = Array.isArray(refs) ? refs : [];
    const answers = new Map<number, BulkStatusEntry>();
    const groups = new Map<ProviderId, number[]>();
    list.forEach((ref, index) => {
      const owner = providerOf(ref);
      if (E.isLeft(owner)) answers.set(index, { ref, error: owner.left });
      else {
        const group = groups.get(owner.right);
        if (group === undefined) groups.set(owner.right, [index]);
        else group.push(index);
      }
    });
    for (const [id, indexes] of groups) {
      const provider = byId.get(id);
      if (provider === undefined) continue;
      const groupRefs = indexes.map((index) => list[index] as UserRef);
      if (provider.getStatuses !== undefined) {
        const bulk = await provider.getStatuses(groupRefs, callOptions)();
        indexes.forEach((index, position) => {
          const ref = groupRefs[position] as UserRef;
          const entry = E.isLeft(bulk) ? { ref, error: bulk.left } : bulk.right[position];
          answers.set(index, entry ?? { ref, error: refIssue('the bulk read gave no answer for it') });
        });
        continue;
      }
      for (const [position, index] of indexes.entries()) {
        const ref = groupRefs[position] as UserRef;
        const one = await provider.getStatus(ref, callOptions)();
        answers.set(index, E.isLeft(one) ? { ref, error: one.left } : { ref, result: one.right });
      }
    }
    return E.right(list.map((ref, index) => answers.get(index) ?? { ref, error: refIssue('no answer') }));
  };
}
