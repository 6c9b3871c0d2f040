// Loading the modules `poekit serve` is given, and telling a bot from anything else. @poekit/cli's
// commands (dev, sim, sync-settings) load bots with this too, so a module that serves, serves in all.
import { isPoeBot, isPoeBotClass } from "../server/bot-brand.js";
import type { PoeBot } from "../server/poe-bot.js";
import { importModule } from "./import-module.js";
import { type BotFile, resolveBotFile } from "./resolve-bot-file.js";
import { UserError } from "./user-error.js";

/** A module given to `poekit serve`, loaded, with the bots it default-exports. */
export interface BotModule extends BotFile {
  bots: PoeBot[];
}

const HOW_TO_EXPORT = "`export default new MyBot()`, where MyBot extends PoeBot";

/**
 * Finds, imports and checks one module given to `poekit serve`. It must default-export a PoeBot
 * instance or an array of them; anything else is a {@link UserError} saying what was found and what to
 * write instead.
 * @example
 * const { bots } = await loadBotModule("examples/echo"); // [EchoBot]
 */
export async function loadBotModule(given: string, cwd: string = process.cwd()): Promise<BotModule> {
  const found = resolveBotFile(given, cwd);
  const namespace = await importModule(found.file, found.display, cwd);
  return { ...found, bots: botsFromExports(namespace, found.display) };
}

/**
 * The bots a module namespace default-exports, checked.
 * @example
 * botsFromExports({ default: new EchoBot() }, "bot.ts"); // [EchoBot]
 */
export function botsFromExports(namespace: unknown, display: string): PoeBot[] {
  const exports = moduleExports(namespace);
  if (!("default" in exports)) throw new UserError(noDefaultExport(exports, display));
  const value = exports.default;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new UserError(
        `${display} default-exports an empty array; put at least one bot in it (new MyBot()).`,
      );
    }
    return value.map((item: unknown, index) => {
      if (isPoeBot<PoeBot>(item)) return item;
      if (looksLikeBot(item)) throw new UserError(notBranded(display));
      throw new UserError(
        `${display} default-exports an array whose item ${index} is ${describe(item)}, not a PoeBot instance; ${arrayFix(item)}.`,
      );
    });
  }
  if (isPoeBot<PoeBot>(value)) return [value];
  if (looksLikeBot(value)) throw new UserError(notBranded(display));
  throw new UserError(
    `${display} default-exports ${describe(value)}, not a PoeBot instance; ${singleFix(value)}.`,
  );
}

/**
 * The exports of a namespace. A CommonJS module compiled from ESM (by tsc or esbuild) arrives as
 * `{ default: module.exports }` with the `__esModule` mark, and its `export default` is then
 * `module.exports.default`.
 */
function moduleExports(namespace: unknown): Record<string, unknown> {
  const record = isRecord(namespace) ? namespace : {};
  const inner = record.default;
  return isRecord(inner) && inner.__esModule === true ? inner : record;
}

function noDefaultExport(exports: Record<string, unknown>, display: string): string {
  const names = Object.keys(exports).filter((name) => name !== "__esModule");
  const botName = names.find((name) => isPoeBot(exports[name]));
  if (botName) {
    return `${display} has no default export; add \`export default ${botName};\` after the bot it exports.`;
  }
  const className = names.find((name) => isBotClass(exports[name]));
  if (className) return `${display} has no default export; add \`export default new ${className}();\`.`;
  const exported = names.length > 0 ? ` (it exports only ${names.join(", ")})` : "";
  return `${display} has no default export${exported}; end it with ${HOW_TO_EXPORT}.`;
}

function singleFix(value: unknown): string {
  return isBotClass(value)
    ? `export an instance: \`export default new ${value.name}()\``
    : `export an instance with ${HOW_TO_EXPORT}`;
}

function arrayFix(value: unknown): string {
  return isBotClass(value)
    ? `put an instance in the array: \`new ${value.name}()\``
    : "every item must be an instance of a class that extends PoeBot";
}

/** An object with a bot's methods but not its brand: a PoeBot from a version before the brand. */
function looksLikeBot(value: unknown): boolean {
  return isRecord(value) && typeof value.getResponse === "function" && typeof value.path === "string";
}

function notBranded(display: string): string {
  return `${display} exports an object shaped like a bot but not built on poekit's PoeBot (an older poekit, or a copy of the class); build it on PoeBot from a current poekit (\`npm ls poekit\` lists the copies installed).`;
}

function isBotClass(value: unknown): value is { name: string } {
  if (isPoeBotClass(value)) return true;
  const prototype: unknown = typeof value === "function" ? value.prototype : undefined;
  return isRecord(prototype) && typeof prototype.getResponse === "function";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (isBotClass(value)) return `the class ${value.name || "(anonymous)"}`;
  if (typeof value === "function") {
    const isClass = Function.prototype.toString.call(value).startsWith("class");
    return `${isClass ? "the class" : "the function"} ${value.name || "(anonymous)"}`;
  }
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const constructorName = Object.getPrototypeOf(value)?.constructor?.name;
    return constructorName && constructorName !== "Object"
      ? `an instance of ${constructorName}`
      : "an object";
  }
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `a ${typeof value} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
