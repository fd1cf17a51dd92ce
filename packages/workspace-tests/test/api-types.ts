/**
 * Reads the exported types of the packages' sources with the TypeScript checker, for doc tables
 * that name shapes the code has only as types (a union of kinds, an options interface): the test
 * compares the page with what the compiler sees, so neither can change alone. One program per
 * package (rooted at its entry point), built on first use: a few seconds each.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { PACKAGES, ROOT } from './workspace';

/** One property of an object type: its name and whether it may be left out. */
export interface TypeProperty {
  readonly name: string;
  readonly optional: boolean;
}

interface Compiler {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
}

const compilers = new Map<string, Compiler>();

function entryPoint(pkg: string): string {
  return join(PACKAGES, pkg, 'src', 'index.ts');
}

function compiler(pkg: string): Compiler {
  const known = compilers.get(pkg);
  if (known) return known;
  const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config as {
    compilerOptions: object;
  };
  const { options } = ts.convertCompilerOptionsFromJson(
    { ...base.compilerOptions, noEmit: true, declaration: false, sourceMap: false, baseUrl: ROOT },
    ROOT,
  );
  const program = ts.createProgram([entryPoint(pkg)], options);
  const built = { program, checker: program.getTypeChecker() };
  compilers.set(pkg, built);
  return built;
}

/** The symbol `name` exported by `@kycport/<pkg>` (aliases of re-exports resolved). */
function exportedSymbol(pkg: string, name: string): ts.Symbol {
  const { program, checker } = compiler(pkg);
  const file = program.getSourceFile(entryPoint(pkg));
  const module = file && checker.getSymbolAtLocation(file);
  if (!module) throw new Error(`@kycport/${pkg} has no entry point`);
  const found = checker.getExportsOfModule(module).find((symbol) => symbol.name === name);
  if (!found) throw new Error(`@kycport/${pkg} exports no "${name}"`);
  return found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found;
}

/** A type of one package's program (types of different programs do not mix). */
export interface TypeRef {
  readonly pkg: string;
  readonly type: ts.Type;
}

/** The type `name` (an interface or type alias) exported by `@kycport/<pkg>`. */
export function exportedType(pkg: string, name: string): TypeRef {
  return { pkg, type: compiler(pkg).checker.getDeclaredTypeOfSymbol(exportedSymbol(pkg, name)) };
}

/** The properties of an object type (inherited ones included), in declaration order. */
export function propertiesOfType(ref: TypeRef): ReadonlyArray<TypeProperty> {
  return compiler(ref.pkg)
    .checker.getPropertiesOfType(ref.type)
    .map((symbol) => ({ name: symbol.name, optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0 }));
}

/** The properties of the exported type `name` of `@kycport/<pkg>`. */
export function typeProperties(pkg: string, name: string): ReadonlyArray<TypeProperty> {
  return propertiesOfType(exportedType(pkg, name));
}

/** The string literals of a union type (`'a' | 'b'`), or of one literal. */
export function stringLiterals(ref: TypeRef): ReadonlyArray<string> {
  const members = ref.type.isUnion() ? ref.type.types : [ref.type];
  return members.flatMap((member) => (member.isStringLiteral() ? [member.value] : []));
}

/** The string literals of the exported union type `name` of `@kycport/<pkg>`. */
export function literalUnion(pkg: string, name: string): ReadonlyArray<string> {
  return stringLiterals(exportedType(pkg, name));
}

/** The type of property `property` of `ref` (`undefined` of an optional property removed). */
export function propertyType(ref: TypeRef, property: string): TypeRef {
  const { checker } = compiler(ref.pkg);
  const symbol = checker.getPropertyOfType(ref.type, property);
  if (!symbol) throw new Error(`the type has no property "${property}"`);
  return { pkg: ref.pkg, type: checker.getNonNullableType(checker.getTypeOfSymbol(symbol)) };
}

/**
 * The members of a discriminated union, each as the value of its discriminant (`type: 'delay'`)
 * and its properties (the discriminant included).
 */
export function discriminatedMembers(
  pkg: string,
  name: string,
  discriminant: string,
): ReadonlyArray<{ readonly tag: string; readonly properties: ReadonlyArray<TypeProperty> }> {
  const { type } = exportedType(pkg, name);
  const members = type.isUnion() ? type.types : [type];
  return members.map((member) => {
    const ref = { pkg, type: member };
    const tags = stringLiterals(propertyType(ref, discriminant));
    if (tags.length !== 1) throw new Error(`a member of ${name} has no single "${discriminant}"`);
    return { tag: tags[0] ?? '', properties: propertiesOfType(ref) };
  });
}
