/**
 * Staging outcome control: Plu decides the KYC outcome in staging from a case-sensitive keyword
 * appended to `lastName` with no space or separator (`DoeApproved`, `DoeDenied`,
 * `DoeneedsVerification`). Source: "Sandbox Testing" on
 * https://docs.getplu.com/api-reference/users/create-user
 */

export const PLU_SANDBOX_KEYWORDS = {
  approved: 'Approved',
  denied: 'Denied',
  needsVerification: 'needsVerification',
} as const;

/**
 * A staging outcome `pluSandboxLastName` can ask for: `approved`, `denied` or `needsVerification`.
 */
export type PluSandboxOutcome = keyof typeof PLU_SANDBOX_KEYWORDS;

/**
 * `pluSandboxLastName('Doe', 'denied')` -> `'DoeDenied'`. Use it for `applicant.name.family` in
 * staging only; the result must still fit Plu's 100 characters (createUser checks).
 */
export function pluSandboxLastName(family: string, outcome: PluSandboxOutcome): string {
  return `${family.trim()}${PLU_SANDBOX_KEYWORDS[outcome]}`;
}
