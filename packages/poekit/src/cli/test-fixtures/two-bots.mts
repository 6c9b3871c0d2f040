// Two bots in one module, each on its own path.
import { PoeBot, type QueryRequest } from "poekit";

class NamedBot extends PoeBot {
  readonly #answer: string;

  constructor(path: string, answer: string) {
    super({ path });
    this.#answer = answer;
  }

  override async *getResponse(_request: QueryRequest) {
    yield this.#answer;
  }
}

export default [new NamedBot("/first", "from the first bot"), new NamedBot("/second", "from the second bot")];
