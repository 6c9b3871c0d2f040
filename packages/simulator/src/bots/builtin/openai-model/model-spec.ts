import { PoeConfigError } from "poekit";

/** A model as `--model NAME=URL#MODEL` names it. */
export interface ModelSpec {
  /** The bot's handle in the simulator (`/bot/<name>`, `@name`). */
  name: string;
  /** The endpoint's base URL, such as `http://localhost:11434/v1`, as written. */
  baseUrl: string;
  /** The model to ask for, sent as `model`. */
  model: string;
}

/** Bot names as Poe allows them: letters, digits, `-`, `_` and `.`, up to 64 characters. */
const BOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SPEC_EXAMPLE = "Llama=http://localhost:11434/v1#llama3.2";

/**
 * Reads a `NAME=URL#MODEL` model spec (the `--model` option). The URL is the endpoint's base
 * (`http://localhost:11434/v1`) or its full `…/chat/completions` address; the model is everything
 * after the first `#`. Throws a {@link PoeConfigError} saying what is wrong with a bad spec.
 * @example
 * parseModelSpec("Llama=http://localhost:11434/v1#llama3.2");
 * // { name: "Llama", baseUrl: "http://localhost:11434/v1", model: "llama3.2" }
 */
export function parseModelSpec(spec: string): ModelSpec {
  const equals = spec.indexOf("=");
  if (equals === -1) {
    throw new PoeConfigError(
      `The model spec "${spec}" has no "=": write NAME=URL#MODEL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  const name = spec.slice(0, equals).trim();
  const rest = spec.slice(equals + 1);
  const hash = rest.indexOf("#");
  if (hash === -1) {
    throw new PoeConfigError(
      `The model spec "${spec}" names no model: add "#MODEL" after the URL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  const baseUrl = rest.slice(0, hash).trim();
  const model = rest.slice(hash + 1).trim();
  checkBotName(name, `The model spec "${spec}"`);
  if (model === "") {
    throw new PoeConfigError(`The model spec "${spec}" has an empty model after "#", e.g. ${SPEC_EXAMPLE}.`);
  }
  chatCompletionsUrl(baseUrl, `The model spec "${spec}"`);
  return { name, baseUrl, model };
}

/**
 * Throws a {@link PoeConfigError} unless `name` is a bot name Poe allows; `where` starts the message.
 * @example
 * checkBotName("Llama", "The model bot"); // passes
 */
export function checkBotName(name: string, where: string): void {
  if (!BOT_NAME.test(name)) {
    throw new PoeConfigError(
      `${where} has the name "${name}": a name starts with a letter or digit and has only letters, digits, "-", "_" and "." (at most 64 characters).`,
    );
  }
}

/**
 * The `…/chat/completions` URL of an endpoint given by its base URL or by that URL itself; throws a
 * {@link PoeConfigError} (starting with `where`) for anything but an http(s) URL.
 * @example
 * chatCompletionsUrl("http://localhost:11434/v1/", "The model bot"); // "http://localhost:11434/v1/chat/completions"
 */
export function chatCompletionsUrl(baseUrl: string, where: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new PoeConfigError(
      `${where} has "${baseUrl}" as its URL, which is not a URL, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PoeConfigError(`${where} has "${baseUrl}" as its URL; only http:// and https:// URLs work.`);
  }
  const trimmed = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  const address = trimmed.endsWith("/chat/completions") ? trimmed : `${trimmed}/chat/completions`;
  return `${address}${url.search}`;
}
