/**
 * `providerOptions.plu`: what Plu's create-user body takes beyond the neutral applicant.
 * Source: https://docs.getplu.com/api-reference/users/create-user
 */
import * as t from 'io-ts';
import { HttpsUrl, boundedString, refined } from '@kycport/core';
import type { PLU_PROVIDER_ID } from './plu-config';

/** Card program type. */
export const PluProgram = t.keyof({ custodial: null, non_custodial: null }, 'PluProgram');
export type PluProgram = t.TypeOf<typeof PluProgram>;

/**
 * An Ethereum address: `0x` and 40 hex digits (the pattern Plu documents for EVM addresses on its
 * withdrawal page; the create-user page says only "Ethereum wallet address"). The EIP-55 checksum
 * is not checked: Plu does not say it requires one.
 */
export const EthereumAddress = refined(
  t.string,
  (value) => /^0x[a-fA-F0-9]{40}$/.test(value),
  'an Ethereum address (0x and 40 hex digits)',
);

/**
 * Codec of `providerOptions.plu` on `createUser`: the card program, the wallet address for a
 * non-custodial program, the redirect URL and the account purpose.
 */
export const PluProviderOptions = t.partial(
  {
    /** Overrides the configured `defaultProgram`. Plu requires one of the two. */
    program: PluProgram,
    /** Required when `program` is `non_custodial`. */
    walletAddress: EthereumAddress,
    /** Where Persona sends the user afterwards; overrides the profile default. https only. */
    redirectUrl: HttpsUrl,
    /** 1-200 characters, e.g. `personal use`; overrides the configured `defaultAccountPurpose`. */
    accountPurpose: boundedString(200),
  },
  'PluProviderOptions',
);
/**
 * Plu's `createUser` options (`providerOptions.plu`); each field overrides the configured default.
 */
export type PluProviderOptions = t.TypeOf<typeof PluProviderOptions>;

declare module '@kycport/core' {
  interface KycCreateUserProviderOptions {
    /**
     * `providerOptions.plu` of `createUser`, typed whenever `@kycport/plu` is imported. Plu reads no
     * options on `retry` or `submitVerification`, so those leave `plu` untyped.
     */
    readonly [PLU_PROVIDER_ID]: PluProviderOptions;
  }
}
