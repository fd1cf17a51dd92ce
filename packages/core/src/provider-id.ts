/** Built-in provider ids; third-party adapters use their own string. */
export type BuiltInProviderId = 'plu' | 'p100' | 'plaid' | 'fake';
// `string & {}` keeps editor completion for the built-in ids while accepting any adapter id.
/**
 * A provider's id: a built-in one, or any id a third-party adapter declares. It prefixes the user
 * refs the provider hands out (`plu:…`).
 */
export type ProviderId = BuiltInProviderId | (string & {});
