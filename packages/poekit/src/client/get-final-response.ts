import { BotError } from "../core/errors.js";
import { MetaResponse, PartialResponse } from "../core/responses.js";
import { contentAfter } from "../protocol/answer-fold.js";
import type { QueryRequestInit } from "../protocol/query-request.js";
import { type StreamRequestOptions, streamRequest } from "./stream-request.js";

/**
 * Calls a bot and waits for its whole answer, as Poe would show it: text appended, a
 * `replace_response` starting over, meta and suggested replies left out. Throws `BotError` when the
 * bot sent no text at all, and whatever {@link streamRequest} throws.
 * @example
 * const summary = await getFinalResponse(request, "GPT-4o-Mini", request.access_key);
 */
export async function getFinalResponse(
  request: QueryRequestInit,
  botName: string,
  accessKey?: string | null,
  options: Omit<StreamRequestOptions, "tools" | "toolExecutables" | "maxToolRounds"> = {},
): Promise<string> {
  let text = "";
  let received = false;
  for await (const message of streamRequest(request, botName, accessKey, options)) {
    if (!(message instanceof PartialResponse) || message instanceof MetaResponse) continue;
    if (message.is_suggested_reply) continue;
    // An empty `text` (a file, a `json` chunk) is no text; an empty replacement is.
    if (message.text === "" && !message.is_replace_response) continue;
    text = contentAfter(text, message.is_replace_response, message.text);
    received = true;
  }
  if (!received) throw new BotError(`Bot ${botName} sent no response.`, { botName, allowRetry: true });
  return text;
}
