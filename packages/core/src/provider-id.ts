/** Built-in provider ids; third-party adapters use their own string. */
export type BuiltInProviderId = 'plu' | 'p100' | 'plaid' | 'fake';
// `string & {}` keeps editor completion for the built-in ids while accepting any adapter id.
export type ProviderId = BuiltInProviderId | (string & {});
