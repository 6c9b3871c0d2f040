import { PoeBot } from "poekit";

/** A bot with a name and a key, so `poekit serve` syncs its settings at start-up. */
class SyncedBot extends PoeBot {
  override async getSettings() {
    return { introduction_message: "Hi from SyncedBot" };
  }
}

export default new SyncedBot({ botName: "SyncedBot", accessKey: `${"n".repeat(16)}0123456789abcdef` });
