/**
 * The deterministic rules behind {@link ScriptedLLM}: which control words a message holds, which tools
 * it "asks for", and with which arguments. Pure functions, so each rule is tested on its own.
 */
import type { ToolDefinition } from "poekit";

/** Longest pause `/slow` may ask for between two chunks, in milliseconds. */
export const MAX_SLOW_MS = 2000;

/** What the control words of a message ask for, and the message without them. */
export interface ScriptedControls {
  /** The message with `/error`, `/slow <ms>` and `/notool` taken out (and spaces tidied). */
  text: string;
  /** `/error` was present: answer with an error event. */
  error: boolean;
  /** `/slow <ms>`: the pause between chunks, capped at {@link MAX_SLOW_MS}; 0 when not asked. */
  slowMs: number;
  /** `/notool`: answer in text even though tools were offered. */
  noTool: boolean;
}

/** A tool call the scripted model decided on; `arguments` is the JSON text sent to the caller. */
export interface ScriptedToolCall {
  name: string;
  arguments: string;
}

// A control word stands alone: "/errors" or "a/error" are ordinary text.
const ERROR_WORD = /(^|\s)\/error(?=\s|$)/;
const NO_TOOL_WORD = /(^|\s)\/notool(?=\s|$)/;
const SLOW_WORD = /(^|\s)\/slow\s+(\d+)(?=\s|$)/;

/**
 * Reads the control words of a message.
 * @example
 * readControls("/slow 50 hello"); // { text: "hello", error: false, slowMs: 50, noTool: false }
 */
export function readControls(message: string): ScriptedControls {
  const slow = SLOW_WORD.exec(message);
  const slowMs = slow ? Math.min(Number(slow[2]), MAX_SLOW_MS) : 0;
  const text = message
    .replace(new RegExp(ERROR_WORD.source, "g"), "$1")
    .replace(new RegExp(NO_TOOL_WORD.source, "g"), "$1")
    .replace(new RegExp(SLOW_WORD.source, "g"), "$1")
    // Only runs of spaces are folded: the message's own line breaks are kept for `/tool` lines.
    .replace(/[ \t]{2,}/g, " ")
    .trim();
  return { text, error: ERROR_WORD.test(message), slowMs, noTool: NO_TOOL_WORD.test(message) };
}

const TOOL_LINE = /^\s*\/tool\s+(\S+)(?:\s+([\s\S]*?))?\s*$/;

/**
 * The calls written as `/tool <name> <json-args>` lines, in order; `undefined` when the message has
 * none. The arguments are passed on exactly as written, even when they are not valid JSON, so that a
 * bot's handling of a malformed call can be tested; a line without arguments calls with `{}`.
 * @example
 * parseToolCommands('/tool get_weather {"city":"Paris"}'); // [{ name: "get_weather", arguments: '{"city":"Paris"}' }]
 */
export function parseToolCommands(message: string): ScriptedToolCall[] | undefined {
  const calls: ScriptedToolCall[] = [];
  for (const line of message.split(/\r?\n/)) {
    const match = TOOL_LINE.exec(line);
    if (match?.[1]) calls.push({ name: match[1], arguments: match[2] || "{}" });
  }
  return calls.length > 0 ? calls : undefined;
}

/**
 * Words that say nothing about which tool is meant: function words, and verbs every tool
 * description uses ("Gets the …", "Looks up …").
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "the and for with what whats that this these those from into onto about are was were is you your " +
    "yours how who whom when where which why can could would should will shall may might must please " +
    "tell give show find get gets set sets use uses using look looks lookup fetch fetches return returns " +
    "call calls tool tools function functions some any all its it's there their them they then than " +
    "have has had does did doing done not but also just like want need know let make makes current"
  ).split(" "),
);

/**
 * The meaningful words of a text, lower-cased and lightly stemmed: identifiers are split at `_`,
 * `-` and camelCase humps; words shorter than 3 letters and {@link STOP_WORDS} are left out.
 * @example
 * meaningfulWords("get_current_weather"); // Set { "weather" }
 */
export function meaningfulWords(text: string): Set<string> {
  const spaced = text.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2").toLowerCase();
  const words = new Set<string>();
  for (const word of spaced.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    words.add(stem(word));
  }
  return words;
}

/** Plural to singular, roughly: enough that "temperatures" meets "temperature". */
function stem(word: string): string {
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

/**
 * The tools a message is about: every tool whose name or description shares a meaningful word with
 * it, in the order offered; the first tool when none does (a model given tools tends to use them).
 * @example
 * selectTools("What's the weather in Paris?", tools); // the tools that mention weather
 */
export function selectTools(message: string, tools: readonly ToolDefinition[]): ToolDefinition[] {
  const asked = meaningfulWords(message);
  const chosen = tools.filter((tool) => {
    const own = meaningfulWords(`${tool.function.name} ${tool.function.description ?? ""}`);
    for (const word of own) if (asked.has(word)) return true;
    return false;
  });
  const first = tools[0];
  return chosen.length > 0 || first === undefined ? chosen : [first];
}

/** Property names that hold a place, filled from the place phrases of the message. */
const PLACE_NAME = /location|city|place|town|country|region|address|destination|where/i;

// A capitalised word (letters, apostrophes, dots and hyphens inside), and a run of them: "San Francisco".
const CAPITALISED = String.raw`\p{Lu}[\p{L}\p{M}'’.\-]*`;
const PHRASE = String.raw`${CAPITALISED}(?:[ \t]+${CAPITALISED})*`;
// A comma continues a place ("Paris, France"); "and", "or" and "&" start another ("Tokyo and Paris").
const PLACE_LIST = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:[Ii]n|[Ff]or|[Aa]t)[ \t]+(${PHRASE}(?:(?:,[ \t]*|[ \t]*(?:,[ \t]*)?(?:and|or|&)[ \t]+)${PHRASE})*)`,
  "gu",
);
const PLACE_SEPARATOR = /[ \t]*(?:,[ \t]*)?(?:\band\b|\bor\b|&)[ \t]+/u;

/**
 * The places a message names: capitalised phrases after "in", "for" or "at", in order, without
 * repeats. "and", "or" and "&" separate places; a comma joins a place to its region. Phrases that are
 * one of `excluded` (compared case-insensitively, e.g. the enum values of a unit) are not places.
 * @example
 * placesIn("What's the weather in San Francisco?"); // ["San Francisco"]
 * placesIn("Weather in Tokyo and Paris, France in Celsius", ["celsius"]); // ["Tokyo", "Paris, France"]
 */
export function placesIn(message: string, excluded: Iterable<string> = []): string[] {
  const skip = new Set([...excluded].map((value) => value.toLowerCase()));
  const places: string[] = [];
  for (const match of message.matchAll(PLACE_LIST)) {
    for (const piece of (match[1] ?? "").split(PLACE_SEPARATOR)) {
      // "St. Louis" keeps its dot; a sentence's closing "." or "'" does not belong to the place.
      const place = piece.replace(/[.'’-]+$/u, "").trim();
      if (place !== "" && !skip.has(place.toLowerCase()) && !places.includes(place)) places.push(place);
    }
  }
  return places;
}

/** A JSON Schema of one property, reduced to what the rules read. */
interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  const?: unknown;
  anyOf?: unknown;
  oneOf?: unknown;
}

/**
 * Turns `anyOf`/`oneOf` (how nullable and union types arrive from zod) into its first branch that is
 * not `null`, and a `type` list into its first type that is not "null".
 */
function resolveSchema(value: unknown): { type: string | undefined; schema: PropertySchema } {
  let schema: PropertySchema = typeof value === "object" && value !== null ? (value as PropertySchema) : {};
  for (let depth = 0; depth < 4; depth++) {
    const branches = Array.isArray(schema.anyOf)
      ? schema.anyOf
      : Array.isArray(schema.oneOf)
        ? schema.oneOf
        : null;
    if (!branches) break;
    const branch = branches.find(
      (candidate) =>
        typeof candidate === "object" && candidate !== null && (candidate as PropertySchema).type !== "null",
    );
    schema = (branch as PropertySchema | undefined) ?? {};
  }
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== "null") : schema.type;
  return { type: typeof type === "string" ? type : undefined, schema };
}

/** Whether the message mentions `value` as a whole word, ignoring case. */
function mentions(message: string, value: string): boolean {
  if (value === "") return false;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu").test(message);
}

/**
 * The arguments of one call, from the tool's JSON Schema and the message. Required properties are
 * always given a value; optional ones only when the message states it (an enum value it mentions, a
 * place for a place-like name).
 *
 * - enum: the value the message mentions (case-insensitively), else the first;
 * - string: for names like location/city/place, `place` (a phrase after "in"/"for"/"at"), else the whole message;
 * - number / integer: the first number in the message, else 0;
 * - boolean: false; array: []; object: {}.
 * @example
 * fillArguments(weatherSchema, "Weather in Tokyo in celsius?", "Tokyo"); // { location: "Tokyo", unit: "celsius" }
 */
export function fillArguments(
  parameters: Record<string, unknown>,
  message: string,
  place: string | undefined,
): Record<string, unknown> {
  const properties =
    typeof parameters.properties === "object" && parameters.properties !== null
      ? (parameters.properties as Record<string, unknown>)
      : {};
  const required = new Set(Array.isArray(parameters.required) ? (parameters.required as unknown[]) : []);
  const args: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const value = valueFor(name, property, message, place, required.has(name));
    if (value !== undefined) args[name] = value;
  }
  return args;
}

function valueFor(
  name: string,
  property: unknown,
  message: string,
  place: string | undefined,
  required: boolean,
): unknown {
  const { type, schema } = resolveSchema(property);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const mentioned = schema.enum.find((value) => mentions(message, String(value)));
    return mentioned ?? (required ? schema.enum[0] : undefined);
  }
  if ("const" in schema) return required ? schema.const : undefined;
  if (type === "string" || type === undefined) {
    if (PLACE_NAME.test(name) && place !== undefined) return place;
    return required ? message : undefined;
  }
  if (!required) return undefined;
  switch (type) {
    case "number":
    case "integer": {
      const found = /-?\d+(?:\.\d+)?/.exec(message);
      const number = found ? Number(found[0]) : 0;
      return type === "integer" ? Math.trunc(number) : number;
    }
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}

/** The enum values of a tool's properties: words that name a setting, never a place. */
function enumValues(parameters: Record<string, unknown>): string[] {
  const properties =
    typeof parameters.properties === "object" && parameters.properties !== null
      ? Object.values(parameters.properties as Record<string, unknown>)
      : [];
  return properties.flatMap((property) => {
    const { schema } = resolveSchema(property);
    return Array.isArray(schema.enum) ? schema.enum.map(String) : [];
  });
}

/** Whether any property of the tool is place-like, so one call per named place makes sense. */
function takesPlace(parameters: Record<string, unknown>): boolean {
  const properties =
    typeof parameters.properties === "object" && parameters.properties !== null
      ? Object.keys(parameters.properties as Record<string, unknown>)
      : [];
  return properties.some((name) => PLACE_NAME.test(name));
}

/**
 * The calls the scripted model makes for a message: the tools {@link selectTools} picks, each with
 * {@link fillArguments}; a tool with a place-like property is called once per place the message
 * names ("Tokyo and Paris" → two calls).
 * @example
 * chooseToolCalls("What's the weather in Tokyo and Paris?", [weatherTool]);
 * // [{ name: "get_current_weather", arguments: '{"location":"Tokyo"}' }, { …, arguments: '{"location":"Paris"}' }]
 */
export function chooseToolCalls(message: string, tools: readonly ToolDefinition[]): ScriptedToolCall[] {
  const calls: ScriptedToolCall[] = [];
  for (const tool of selectTools(message, tools)) {
    const parameters = tool.function.parameters as Record<string, unknown>;
    const places = takesPlace(parameters) ? placesIn(message, enumValues(parameters)) : [];
    const targets = places.length > 0 ? places : [undefined];
    for (const place of targets) {
      const args = fillArguments(parameters, message, place);
      calls.push({ name: tool.function.name, arguments: JSON.stringify(args) });
    }
  }
  return calls;
}

/**
 * Splits text into word chunks (each word with the spaces after it), as a model streams tokens;
 * joined they give the text back exactly.
 * @example
 * wordChunks("You said: hi"); // ["You ", "said: ", "hi"]
 */
export function wordChunks(text: string): string[] {
  const chunks = text.match(/\s*\S+\s*/g);
  return chunks && chunks.length > 0 ? chunks : [text];
}

/**
 * Splits a string into pieces of at most `size` characters, never inside a surrogate pair: how the
 * arguments of a tool call are streamed.
 * @example
 * fragments('{"a":1}', 3); // ['{"a', '":1', '}']
 */
export function fragments(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let at = 0; at < characters.length; at += size) pieces.push(characters.slice(at, at + size).join(""));
  return pieces.length > 0 ? pieces : [""];
}
