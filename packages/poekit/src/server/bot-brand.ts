// Whether a value is a bot, without `instanceof`: a bot module that resolves another copy of poekit
// (an upgrade that left a second copy under node_modules, a linked package) builds its bots on that
// copy's PoeBot, and `instanceof` against this copy's class would turn them away. Every PoeBot
// carries a brand registered in the global symbol registry, which all copies share.

/** The key of the brand every PoeBot's prototype carries: the same symbol in every copy of poekit. */
export const POE_BOT_BRAND: unique symbol = Symbol.for("poekit.bot");

/**
 * Whether `value` is a PoeBot instance, from this copy of poekit or another.
 * @example
 * isPoeBot(new EchoBot()); // true
 * isPoeBot({ getResponse() {} }); // false
 */
export function isPoeBot<Bot = unknown>(value: unknown): value is Bot {
  return typeof value === "object" && value !== null && (value as Branded)[POE_BOT_BRAND] === true;
}

/**
 * Whether `value` is a class that extends PoeBot (of any copy of poekit), PoeBot itself included.
 * @example
 * isPoeBotClass(EchoBot); // true
 */
export function isPoeBotClass(value: unknown): value is { name: string; prototype: object } {
  return typeof value === "function" && isPoeBot(value.prototype);
}

type Branded = { [POE_BOT_BRAND]?: unknown };
