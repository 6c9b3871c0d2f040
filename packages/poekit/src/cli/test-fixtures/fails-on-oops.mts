// Echoes the query, and fails on "oops": a failure the server logs as an error.
import { PoeBot, type QueryRequest } from "poekit";

class FailsOnOopsBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const text = request.query.at(-1)?.content ?? "";
    if (text === "oops") throw new Error("the bot failed on purpose");
    yield text;
  }
}

export default new FailsOnOopsBot();
