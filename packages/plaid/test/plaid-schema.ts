/**
 * Plaid's published schema subset (test/fixtures/plaid-idv-openapi-subset.yml, see the README
 * there) loaded with `yaml` and compiled with ajv + ajv-formats. Request bodies are validated
 * against a CLOSED copy of the schemas (`additionalProperties: false` wherever the spec leaves it
 * open) so a field absent from the pinned version (e.g. `user.ip_address`) is caught too.
 * OpenAPI 3.0 `nullable: true` is handled by ajv 8's built-in `nullable` keyword where the schema
 * has a `type`; where it has none (`allOf: [$ref]` + `nullable`), `withNullable` rewrites it as
 * `anyOf: [schema, {type: null}]`, which ajv's keyword refuses to do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

interface OpenApiDocument {
  readonly paths: Record<string, { post: OpenApiOperation }>;
  readonly components: { readonly schemas: Record<string, unknown> };
}
interface OpenApiOperation {
  readonly requestBody: { content: { 'application/json': { schema: { $ref: string } } } };
  readonly responses: Record<
    string,
    {
      content?: {
        'application/json': { schema: { $ref: string }; examples?: Record<string, { value: unknown }> };
      };
    }
  >;
}

export type PlaidOperationPath =
  | '/identity_verification/create'
  | '/identity_verification/get'
  | '/identity_verification/list'
  | '/identity_verification/retry'
  | '/webhook_verification_key/get';

export const PLAID_OPERATION_PATHS: ReadonlyArray<PlaidOperationPath> = [
  '/identity_verification/create',
  '/identity_verification/get',
  '/identity_verification/list',
  '/identity_verification/retry',
  '/webhook_verification_key/get',
];

export const plaidSpec = parse(
  readFileSync(join(__dirname, 'fixtures', 'plaid-idv-openapi-subset.yml'), 'utf8'),
) as OpenApiDocument;

/** Deep copy where `nullable: true` without `type` becomes `anyOf: [schema, { type: 'null' }]`. */
function withNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullable);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    copy[key] = key === 'x-examples' || key === 'example' ? value : withNullable(value);
  if (copy.nullable === true && !('type' in copy)) {
    const rest = { ...copy };
    delete rest.nullable;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return copy;
}

/** Deep copy with `additionalProperties: false` on every object schema that does not set it. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    copy[key] = key === 'x-examples' || key === 'example' ? value : closed(value);
  if ('properties' in copy && !('additionalProperties' in copy)) copy.additionalProperties = false;
  if ('properties' in copy && copy.additionalProperties === true) copy.additionalProperties = false;
  return copy;
}

function compiler(schemas: Record<string, unknown>): (ref: string) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: { schemas } }, 'plaid.yml');
  return (ref) => ajv.compile({ $ref: `plaid.yml${ref}` });
}

const compileOpen = compiler(withNullable(plaidSpec.components.schemas) as Record<string, unknown>);
const compileClosed = compiler(closed(withNullable(plaidSpec.components.schemas)) as Record<string, unknown>);

function operation(path: PlaidOperationPath): OpenApiOperation {
  const found = plaidSpec.paths[path]?.post;
  if (!found) throw new Error(`no operation ${path} in the schema subset`);
  return found;
}

const requestValidators = new Map<string, ValidateFunction>();

/** Ajv errors of a request body sent to `path` (empty when it validates). */
export function requestSchemaErrors(path: PlaidOperationPath, body: unknown): string[] {
  let validate = requestValidators.get(path);
  if (!validate) {
    validate = compileClosed(
      operation(path).requestBody.content['application/json'].schema.$ref.replace(/^#/, '#'),
    );
    requestValidators.set(path, validate);
  }
  return validate(body)
    ? []
    : (validate.errors ?? []).map((error) => `${path} ${error.instancePath} ${error.message ?? ''}`);
}

/** Errors of a response body against the published (open) response schema. */
export function responseSchemaErrors(path: PlaidOperationPath, body: unknown): string[] {
  const ref = operation(path).responses['200']?.content?.['application/json'].schema.$ref;
  if (!ref) throw new Error(`no 200 schema for ${path}`);
  const validate = compileOpen(ref);
  return validate(body)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

/** Plaid's own example response for an operation (a deep copy). */
export function exampleResponse(path: PlaidOperationPath): Record<string, unknown> {
  const value =
    operation(path).responses['200']?.content?.['application/json'].examples?.['example-1']?.value;
  if (!value) throw new Error(`no example for ${path}`);
  return structuredClone(value) as Record<string, unknown>;
}

/** `x-examples` of a component schema (the webhook payloads). */
export function schemaExample(name: string): Record<string, unknown> {
  const schema = plaidSpec.components.schemas[name] as { 'x-examples'?: Record<string, unknown> } | undefined;
  const value = schema?.['x-examples']?.['example-1'];
  if (!value) throw new Error(`no x-examples for ${name}`);
  return structuredClone(value) as Record<string, unknown>;
}
