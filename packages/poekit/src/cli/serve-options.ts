// The options of `poekit serve`, from which both its command line parser and its help are made.

/** The flags of `poekit serve`, as parseServeArgs reads them. */
export interface ServeFlags {
  port?: string;
  /** Default: `HOST`, else {@link DEFAULT_HOST}. */
  host?: string;
  accessKey?: string;
  botName?: string;
  allowWithoutKey?: boolean;
  grace?: string;
  /** false with --no-sync-settings. */
  syncSettings?: boolean;
  /** A whole number of processes, or "auto". */
  workers?: string;
  /** `json` or `pretty`; default `POEKIT_LOG_FORMAT`, else pretty on a terminal, json otherwise. */
  logFormat?: string;
  /** The port of the Prometheus endpoint; none by default. */
  metricsPort?: string;
  /** The file of environment variables to load: a path with --dotenv, false with --no-dotenv. */
  dotenv?: string | false;
}

/** The port `poekit serve` listens on when neither `--port` nor `PORT` is given. */
export const DEFAULT_PORT = 8080;

/** The address `poekit serve` listens on when neither `--host` nor `HOST` is given: every interface. */
export const DEFAULT_HOST = "0.0.0.0";

/** How long open responses may go on after Ctrl-C or SIGTERM when `--grace` is not given. */
export const DEFAULT_GRACE_SECONDS = 10;

/** An option of `poekit serve`. */
export interface ServeOption {
  /** Its names, the long one last: `["-p", "--port"]`. */
  names: readonly string[];
  /** The flag it sets. */
  key: keyof ServeFlags;
  /** What its value is called in help (`<port>`); none for a switch. */
  value?: string;
  /** A switch that sets its flag to false (`--no-sync-settings`) rather than true. */
  negates?: boolean;
  description: string;
}

/** The options of `poekit serve`, in the order help lists them. */
export const SERVE_OPTIONS: readonly ServeOption[] = [
  {
    names: ["-p", "--port"],
    key: "port",
    value: "port",
    description: `port to listen on (default: $PORT, else ${DEFAULT_PORT})`,
  },
  {
    names: ["--host"],
    key: "host",
    value: "host",
    description: `address to listen on; 127.0.0.1 accepts this machine only (default: $HOST, else ${DEFAULT_HOST})`,
  },
  {
    names: ["--access-key"],
    key: "accessKey",
    value: "key",
    description: "the bot's 32-character access key from its settings page on Poe (default: $POE_ACCESS_KEY)",
  },
  {
    names: ["--bot-name"],
    key: "botName",
    value: "name",
    description: "the bot's name on Poe, for a single bot (its settings are synced at start-up)",
  },
  {
    names: ["--allow-without-key"],
    key: "allowWithoutKey",
    description: "serve bots that have no access key, accepting any request (local testing)",
  },
  {
    names: ["--grace"],
    key: "grace",
    value: "seconds",
    description: `on Ctrl-C or SIGTERM, how long open responses may go on before they are ended (default: ${DEFAULT_GRACE_SECONDS})`,
  },
  {
    names: ["--no-sync-settings"],
    key: "syncSettings",
    negates: true,
    description: "do not send the settings of bots that have a botName and an access key to Poe at start-up",
  },
  {
    names: ["--workers"],
    key: "workers",
    value: "count",
    description:
      "how many processes serve on the same port (node:cluster), or auto for one per CPU (default: 1)",
  },
  {
    names: ["--log-format"],
    key: "logFormat",
    value: "format",
    description:
      "json (a line per record) or pretty (default: $POEKIT_LOG_FORMAT, else pretty on a terminal, json otherwise); LOG_LEVEL sets how much",
  },
  {
    names: ["--metrics-port"],
    key: "metricsPort",
    value: "port",
    description: "serve Prometheus metrics at /metrics on this port, on the same host (default: none)",
  },
  // Not --env-file: Node reads an --env-file anywhere on its command line, the script's arguments
  // included, and exits with code 9 before poekit starts when that file is missing.
  {
    names: ["--dotenv"],
    key: "dotenv",
    value: "file",
    description: "load environment variables from this file rather than ./.env (those already set win)",
  },
  {
    names: ["--no-dotenv"],
    key: "dotenv",
    negates: true,
    description: "do not load ./.env",
  },
];
