import type { LogFields } from "./log-fields.js";
import { type LogLevel, passes, type RecordLevel } from "./log-level.js";
import type { Logger } from "./logger.js";

/** A logger called pino's way: fields first, then the message. */
type FieldsFirst = Partial<Record<RecordLevel, (fields: object, message: string) => void>>;

/**
 * Whether `logger` is called pino's way, `info(fields, message)`: pino (and loggers shaped like it)
 * have a `levels.values` table. Any other logger is called `info(message, fields)`.
 */
export function isFieldsFirst(logger: object): boolean {
  const levels = (logger as { levels?: { values?: unknown } }).levels;
  return typeof levels === "object" && levels !== null && typeof levels.values === "object";
}

/**
 * The app's side of its logger: drops records below the level, calls the user's logger in its own
 * style, and never lets it throw into a request (a logger that fails loses the record, nothing else).
 * @internal
 * @example
 * const core = new LogCore(pino(), "info");
 * core.bind(() => ({ requestId: "r1" })).warn("slow"); // pino.warn({ requestId: "r1" }, "slow")
 */
export class LogCore {
  private readonly fieldsFirst: boolean;

  constructor(
    private readonly target: Logger,
    readonly level: LogLevel,
  ) {
    this.fieldsFirst = isFieldsFirst(target);
  }

  /** Whether records at `level` are written. */
  enabled(level: RecordLevel): boolean {
    return passes(level, this.level);
  }

  write(level: RecordLevel, message: string, fields: LogFields | undefined, error?: unknown): void {
    if (!passes(level, this.level)) return;
    const target = this.target;
    try {
      if (this.fieldsFirst) {
        const record = error === undefined ? { ...fields } : { ...fields, err: error };
        (target as unknown as FieldsFirst)[level]?.(record, message);
      } else if (level === "error") {
        if (error === undefined && fields === undefined) target.error(message);
        else target.error(message, error, fields);
      } else if (fields === undefined) {
        target[level]?.(message);
      } else {
        target[level]?.(message, fields);
      }
    } catch {
      // The record is lost; the request it reports on goes on.
    }
  }

  /** A logger whose records carry `fields()` (read when a record is made) besides their own. */
  bind(fields?: () => LogFields): Logger {
    return new BoundLogger(this, fields);
  }
}

class BoundLogger implements Logger {
  constructor(
    private readonly core: LogCore,
    private readonly fields: (() => LogFields) | undefined,
  ) {}

  debug(message: string, more?: LogFields): void {
    if (this.core.enabled("debug")) this.core.write("debug", message, this.merge(more));
  }

  info(message: string, more?: LogFields): void {
    if (this.core.enabled("info")) this.core.write("info", message, this.merge(more));
  }

  warn(message: string, more?: LogFields): void {
    if (this.core.enabled("warn")) this.core.write("warn", message, this.merge(more));
  }

  error(message: string, error?: unknown, more?: LogFields): void {
    if (this.core.enabled("error")) this.core.write("error", message, this.merge(more), error);
  }

  private merge(more: LogFields | undefined): LogFields | undefined {
    const own = this.fields?.();
    if (own === undefined) return more;
    return more === undefined ? own : { ...own, ...more };
  }
}
