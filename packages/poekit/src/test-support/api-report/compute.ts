/**
 * The SDK's public surface as the TypeScript compiler sees it: per subpath of package.json's
 * "exports", every exported name and its kind, plus the public members of `PoeBot` (what every bot
 * author's subclass shows). Read from the sources, so it needs no build; each subpath's source is
 * the `.ts` file its "types" condition was compiled from.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const PACKAGE_DIR = fileURLToPath(new URL("../../../", import.meta.url));

/** Name → kind ("class", "function", "const", "interface", "type", "enum"; joined by " + " when both). */
export type Names = Record<string, string>;

export interface ApiReport {
  /** Subpath of package.json's "exports" → its exported names. */
  exports: Record<string, Names>;
  /** `PoeBot`'s members a subclass or a caller can reach: name → kind. */
  PoeBot: Names;
}

/** Computes the report (in no particular order: the report file sorts it). */
export function computeApiReport(): ApiReport {
  const entries = entryPoints();
  const program = ts.createProgram(Object.values(entries), compilerOptions());
  const checker = program.getTypeChecker();
  const exports: Record<string, Names> = {};
  let poeBot: ts.Symbol | undefined;
  for (const [subpath, file] of Object.entries(entries)) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`api report: ${file} (${subpath}) is not a module`);
    const names: Names = {};
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      names[symbol.name] = kindOf(target);
      if (subpath === "." && symbol.name === "PoeBot") poeBot = target;
    }
    exports[subpath] = names;
  }
  if (!poeBot) throw new Error("api report: the root export has no PoeBot");
  return { exports, PoeBot: membersOf(poeBot, checker) };
}

/** package.json's subpaths (but ./package.json) → the source file of their "types" condition. */
function entryPoints(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as {
    exports: Record<string, string | { types?: string }>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string" || !target.types) continue;
    const source = target.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts");
    entries[subpath] = path.join(PACKAGE_DIR, source);
  }
  return entries;
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(PACKAGE_DIR, "tsconfig.json");
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, PACKAGE_DIR, undefined, configFile);
  // Only the checker is wanted: no output, no project-reference build info.
  return { ...parsed.options, noEmit: true, composite: false, incremental: false, declaration: false };
}

const KINDS: [ts.SymbolFlags, string][] = [
  [ts.SymbolFlags.Class, "class"],
  [ts.SymbolFlags.Enum, "enum"],
  [ts.SymbolFlags.Function, "function"],
  [ts.SymbolFlags.Variable, "const"],
  [ts.SymbolFlags.Interface, "interface"],
  [ts.SymbolFlags.TypeAlias, "type"],
  [ts.SymbolFlags.Module, "namespace"],
];

function kindOf(symbol: ts.Symbol): string {
  // A class is also a value and a type; its own kind says enough.
  if (symbol.flags & ts.SymbolFlags.Class) return "class";
  const kinds = KINDS.filter(([flag]) => symbol.flags & flag).map(([, kind]) => kind);
  return kinds.join(" + ") || "unknown";
}

/** The class's public and protected members, instance and static, with how each is declared. */
function membersOf(classSymbol: ts.Symbol, checker: ts.TypeChecker): Names {
  const members: Names = {};
  const add = (symbol: ts.Symbol, isStatic: boolean) => {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration || symbol.name === "prototype") return;
    const name = ts.getNameOfDeclaration(declaration);
    if (name && ts.isPrivateIdentifier(name)) return;
    const modifiers = ts.getCombinedModifierFlags(declaration);
    if (modifiers & ts.ModifierFlags.Private) return;
    const words = [
      modifiers & ts.ModifierFlags.Protected ? "protected" : "",
      isStatic ? "static" : "",
      modifiers & ts.ModifierFlags.Readonly ? "readonly" : "",
      memberKind(symbol),
    ];
    members[symbol.name] = words.filter(Boolean).join(" ");
  };
  const classDeclaration = classSymbol.valueDeclaration ?? classSymbol.declarations?.[0];
  if (!classDeclaration) return members;
  const instance = checker.getDeclaredTypeOfSymbol(classSymbol);
  for (const symbol of checker.getPropertiesOfType(instance)) add(symbol, false);
  const statics = checker.getTypeOfSymbolAtLocation(classSymbol, classDeclaration);
  for (const symbol of checker.getPropertiesOfType(statics)) add(symbol, true);
  return members;
}

function memberKind(symbol: ts.Symbol): string {
  if (symbol.flags & ts.SymbolFlags.Method) return "method";
  if (symbol.flags & ts.SymbolFlags.Accessor) return "accessor";
  return "property";
}
