import { PoeBot, type QueryRequest, type SettingsResponse } from "poekit";

/** Answers every message with the message itself. */
export class EchoBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    // The last message of the conversation is the one the user just sent.
    yield request.query.at(-1)?.content ?? "";
  }

  override async getSettings(): Promise<SettingsResponse> {
    return { introduction_message: "Say anything, and I will say it back." };
  }
}

// poekit serve, poekit dev and the deployment files load this default export.
export default new EchoBot();
