/** `{param}` path patterns of the simulator server's routes and fault rules. */

export interface CompiledPattern {
  readonly regex: RegExp;
  readonly names: ReadonlyArray<string>;
}

export function compilePattern(pattern: string): CompiledPattern {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(match[1] as string);
      return '([^/]+)';
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

/** The first route with this method whose pattern matches the path, with the decoded params. */
export function matchPattern<R extends CompiledPattern & { readonly method: string }>(
  routes: ReadonlyArray<R>,
  method: string,
  path: string,
): { route: R; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] as string);
    });
    return { route, params };
  }
  return undefined;
}
