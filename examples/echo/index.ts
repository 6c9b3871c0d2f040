import { PoeBot, type QueryRequest } from "poekit";

/** The minimal bot: answers with the user's last message. */
export class EchoBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    yield request.query.at(-1)?.content ?? "";
  }
}

export default new EchoBot();
