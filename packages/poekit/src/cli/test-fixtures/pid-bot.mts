// Answers with the id of the process that served the request, to tell the workers of --workers apart.
import { PoeBot } from "poekit";

class PidBot extends PoeBot {
  override async *getResponse() {
    yield `pid ${process.pid}`;
  }
}

export default new PidBot();
