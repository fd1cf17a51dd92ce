/**
 * Walks io-ts codecs generically: the keys of an object codec (through intersections, partials,
 * refinements and exact/readonly wrappers), whether each is required, and the values of a
 * `t.keyof` enum. A codec the walk cannot open (a hand-written `t.Type`) gives `undefined`, and
 * the test falls back to the exported type (api-types.ts).
 */
import type * as t from 'io-ts';

/** One key of an object codec. */
export interface CodecKey {
  readonly name: string;
  readonly required: boolean;
  readonly codec: t.Mixed;
}

interface Inspectable {
  readonly _tag?: string;
  readonly props?: Readonly<Record<string, t.Mixed>>;
  readonly types?: ReadonlyArray<t.Mixed>;
  readonly type?: t.Mixed;
  readonly keys?: Readonly<Record<string, unknown>>;
}

/** The keys of an object codec, or undefined when the codec cannot be opened. */
export function codecKeys(codec: t.Mixed): ReadonlyArray<CodecKey> | undefined {
  const inspected = codec as unknown as Inspectable;
  switch (inspected._tag) {
    case 'InterfaceType':
    case 'StrictType':
    case 'PartialType':
      return Object.entries(inspected.props ?? {}).map(([name, inner]) => ({
        name,
        required: inspected._tag !== 'PartialType',
        codec: inner,
      }));
    case 'IntersectionType': {
      const parts = (inspected.types ?? []).map(codecKeys);
      return parts.some((part) => part === undefined) ? undefined : parts.flatMap((part) => part ?? []);
    }
    case 'RefinementType':
    case 'ExactType':
    case 'ReadonlyType':
      return inspected.type ? codecKeys(inspected.type) : undefined;
    default:
      return undefined;
  }
}

/** The values of a `t.keyof` codec (through refinements), or [] for any other codec. */
export function enumValues(codec: t.Mixed): ReadonlyArray<string> {
  const inspected = codec as unknown as Inspectable;
  if (inspected._tag === 'KeyofType') return Object.keys(inspected.keys ?? {});
  if (inspected._tag === 'RefinementType' && inspected.type) return enumValues(inspected.type);
  return [];
}
