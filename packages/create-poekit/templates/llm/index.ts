import { PoeBot, type QueryRequest, type RequestContext, type SettingsResponse, streamRequest } from "poekit";

/** The Poe bot that writes the answers; any bot on Poe can be named here. */
export const MODEL = "GPT-4o-Mini";

/** Sends the whole conversation to {@link MODEL} and streams its answer back as it is written. */
export class LlmBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    // request.access_key is this bot's own key, which Poe needs to bill the call to the user.
    // context.signal stops the call as soon as the user goes away.
    yield* streamRequest(request, MODEL, request.access_key, { signal: context.signal });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: `Hi! I answer with ${MODEL}. Ask me anything.`,
      // Poe refuses calls to bots that are not declared here: one call to the model per message.
      server_bot_dependencies: { [MODEL]: 1 },
    };
  }
}

export default new LlmBot();
