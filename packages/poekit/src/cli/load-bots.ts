import { PoeBot } from "poekit";
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
  const { exports, commonJs } = moduleExports(namespace);
  if (!("default" in exports)) throw new UserError(noDefaultExport(exports, display));
  const value = exports.default;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new UserError(
        `${display} default-exports an empty array; put at least one bot in it (new MyBot()).`,
      );
    }
    return value.map((item: unknown, index) => {
      if (isBot(item)) return checkedBot(item, display, commonJs);
      throw new UserError(
        `${display} default-exports an array whose item ${index} is ${describe(item)}, not a PoeBot instance; ${arrayFix(item)}.`,
      );
    });
  }
  if (isBot(value)) return [checkedBot(value, display, commonJs)];
  throw new UserError(
    `${display} default-exports ${describe(value)}, not a PoeBot instance; ${singleFix(value)}.`,
  );
}

/**
 * The exports of a namespace. TypeScript loaded as CommonJS arrives as `{ default: module.exports }`
 * with esbuild's `__esModule` mark, and its `export default` is then `module.exports.default`.
 */
function moduleExports(namespace: unknown): { exports: Record<string, unknown>; commonJs: boolean } {
  const record = isRecord(namespace) ? namespace : {};
  const inner = record.default;
  return isRecord(inner) && inner.__esModule === true
    ? { exports: inner, commonJs: true }
    : { exports: record, commonJs: false };
}

function noDefaultExport(exports: Record<string, unknown>, display: string): string {
  const names = Object.keys(exports).filter((name) => name !== "__esModule");
  const botName = names.find((name) => exports[name] instanceof PoeBot);
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

/**
 * A PoeBot, or an object shaped like one. `instanceof` fails for a bot built on another copy of
 * poekit (a project that resolves its own), so the shape is checked too, to say so rather than
 * "not a bot".
 */
function isBot(value: unknown): value is PoeBot {
  if (value instanceof PoeBot) return true;
  return isRecord(value) && typeof value.getResponse === "function" && typeof value.path === "string";
}

/** The SDK serves only instances of its own PoeBot class. */
function checkedBot(bot: PoeBot, display: string, commonJs: boolean): PoeBot {
  if (bot instanceof PoeBot) return bot;
  if (commonJs) {
    // tsx compiles a CommonJS module's `import "poekit"` into a require of a copy of its own.
    throw new UserError(
      `${display} is loaded as CommonJS, which gives its bot a copy of poekit of its own; add "type": "module" to the package.json of its project.`,
    );
  }
  throw new UserError(
    `${display} exports a bot built on another copy of poekit than the one poekit serve uses; make the project resolve a single poekit (\`npm ls poekit\` lists them, \`npm dedupe\` merges them), or serve the bot from its own code with run() from "poekit/node".`,
  );
}

function isBotClass(value: unknown): value is { name: string } {
  if (typeof value !== "function") return false;
  const prototype: unknown = value.prototype;
  return prototype instanceof PoeBot || (isRecord(prototype) && typeof prototype.getResponse === "function");
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
