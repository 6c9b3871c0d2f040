import type { Answer } from "./answer.js";
import type { Incoming } from "./incoming.js";
import type { PoeApp } from "./poe-app.js";

/**
 * The handler behind each app `makeApp` made, reachable without a web `Request`: `toNodeHandler`
 * uses it to answer node:http requests directly. Kept out of `PoeApp` so the public type stays the
 * web-standard one.
 * @internal
 * @example
 * const answer = answerers.get(app);
 * if (answer) writeAnswer(await answer(incomingFromNode(req)), res);
 */
export const answerers = new WeakMap<PoeApp, (incoming: Incoming) => Promise<Answer>>();
