import { LogCore } from "../core/log-core.js";
import type { LogFields } from "../core/log-fields.js";
import { type LogLevel, parseLogLevel } from "../core/log-level.js";
import { consoleLogger, type Logger } from "../core/logger.js";
import { accessMessage } from "./access-log.js";
import { type RecordSink, RequestObservation, type RequestRecord } from "./access-record.js";
import { processEnv } from "./configure-bots.js";
import type { Incoming } from "./incoming.js";
import { requestIds } from "./request-id.js";

/** Each app's logger (at its level), for what runs around it: `run()`'s start-up and shutdown lines. */
export const appLoggers = new WeakMap<object, Logger>();

/** The options of `makeApp` about logs and records. */
export interface ObserveOptions {
  logger?: Logger;
  logLevel?: LogLevel;
  accessLog?: boolean;
  onRequestEnd?: (record: RequestRecord) => void;
  env?: Record<string, string | undefined>;
}

/**
 * An app's logs and records: its logger (at its level), and for each request an observation that
 * gives the request's records its ids and, when the request ends, writes its access line and calls
 * `onRequestEnd`.
 * @internal
 * @example
 * const records = new AppRecords({ accessLog: true });
 * const seen = records.begin(incoming);
 */
export class AppRecords implements RecordSink {
  readonly log: LogCore;
  /** The app's logger for records made outside any request. */
  readonly logger: Logger;
  readonly recording: boolean;
  private readonly accessLog: boolean;
  private readonly onRequestEnd: ((record: RequestRecord) => void) | undefined;
  /** Makes a request's id, given the `x-request-id` it came with (see request-id.ts). */
  readonly requestId = requestIds();

  /** Fails with a PoeConfigError when LOG_LEVEL is not a level. */
  constructor(options: ObserveOptions) {
    const given = options.logLevel ?? (options.env ?? processEnv()).LOG_LEVEL;
    const level = given ? parseLogLevel(given, options.logLevel ? "logLevel" : "LOG_LEVEL") : "info";
    this.log = new LogCore(options.logger ?? consoleLogger, level);
    this.logger = this.log.bind();
    this.accessLog = (options.accessLog ?? false) && this.log.enabled("info");
    this.onRequestEnd = options.onRequestEnd;
    this.recording = this.accessLog || this.onRequestEnd !== undefined;
  }

  /** Starts observing a request as it reaches the app. */
  begin(incoming: Incoming): RequestObservation {
    const seen = new RequestObservation(this, incoming);
    if (this.log.enabled("debug"))
      seen.logger.debug?.("Request received", { method: seen.method, path: seen.path });
    return seen;
  }

  take(record: RequestRecord): void {
    // An interface has no index signature; the record is flat, as LogFields are.
    if (this.accessLog) this.log.write("info", accessMessage(record), record as unknown as LogFields);
    if (this.onRequestEnd === undefined) return;
    try {
      this.onRequestEnd(record);
    } catch (error) {
      this.log.write("error", "onRequestEnd failed", { requestId: record.requestId }, error);
    }
  }
}
