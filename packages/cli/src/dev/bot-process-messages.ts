/**
 * What `poekit dev` and the bot process it starts tell each other over their IPC channel. The bot
 * process serves the module on a free loopback port; `poekit dev` sends requests to it through its
 * proxy and registers its bots with the simulator.
 */

/** The environment variable that gives the bot process the access key for bots without one. */
export const DEV_ACCESS_KEY_ENV = "POEKIT_DEV_ACCESS_KEY";

/** A bot the bot process serves. */
export interface ServedBot {
  /** Its name in the simulator: its `botName`, else the module's name for a bot on `/`, else its path. */
  name: string;
  /** Its path on the server, `/` for a single bot. */
  path: string;
  /** The key requests must carry, which the bot also uses to call other bots. */
  accessKey: string | null;
}

/** From the bot process: it serves at `url`, or the module could not be served. */
export type BotProcessMessage =
  | { type: "ready"; url: string; bots: ServedBot[] }
  | { type: "failed"; message: string };

/** To the bot process: stop accepting requests, let open responses finish within `graceMs`, and exit. */
export interface StopMessage {
  type: "stop";
  graceMs: number;
}
