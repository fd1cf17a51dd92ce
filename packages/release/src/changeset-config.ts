/**
 * `.changeset/config.json` agrees with the workspace: one fixed group holding exactly the
 * publishable packages, private packages never versioned (`privatePackages.version: false`; the
 * `ignore` list names private packages only), public access, `main` as the base branch.
 */

function stringArray(value: unknown): ReadonlyArray<string> | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function sameSet(left: ReadonlyArray<string>, right: ReadonlyArray<string>): boolean {
  return left.length === right.length && [...left].sort().join('\n') === [...right].sort().join('\n');
}

function difference(left: ReadonlyArray<string>, right: ReadonlyArray<string>): string {
  const missing = left.filter((name) => !right.includes(name));
  const extra = right.filter((name) => !left.includes(name));
  return [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `extra ${extra.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The failures in a parsed changesets config, given the workspace's publishable and private names. */
export function changesetConfigFailures(
  config: unknown,
  publishable: ReadonlyArray<string>,
  privateNames: ReadonlyArray<string>,
): ReadonlyArray<string> {
  const fields = typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const failures: string[] = [];
  const fixed = Array.isArray(fields['fixed']) ? fields['fixed'].map(stringArray) : [];
  const group = fixed.length === 1 ? fixed[0] : undefined;
  if (group === undefined) failures.push('fixed must hold exactly one group (every publishable package)');
  else if (!sameSet(group, publishable)) failures.push(`the fixed group ${difference(publishable, group)}`);
  const ignore = stringArray(fields['ignore']) ?? [];
  const notPrivate = ignore.filter((name) => !privateNames.includes(name));
  if (notPrivate.length > 0)
    failures.push(`ignore names packages that are not private: ${notPrivate.join(', ')}`);
  const privatePackages = fields['privatePackages'];
  const privateVersioned =
    typeof privatePackages !== 'object' ||
    privatePackages === null ||
    (privatePackages as Record<string, unknown>)['version'] !== false;
  if (privateVersioned)
    failures.push('privatePackages.version must be false (private packages are never released)');
  if (fields['access'] !== 'public')
    failures.push('access must be "public" (scoped packages are restricted by default)');
  if (fields['baseBranch'] !== 'main') failures.push('baseBranch must be "main"');
  return failures;
}
