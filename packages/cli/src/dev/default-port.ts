/** The port of the bot (its proxy) on 127.0.0.1 when `poekit dev` is given no `--port`. */
export const DEFAULT_PORT = 8080;
