/**
 * poekit's errors: one family, each with a stable `code` and a message that says what to do.
 */

/**
 * The base of every error poekit throws on purpose.
 * @example
 * try { makeApp(bot); } catch (error) { if (error instanceof PoeError) console.error(error.code, error.message); }
 */
export class PoeError extends Error {
  readonly code: string;
  constructor(message: string, code = "POE_ERROR", options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The server cannot start as configured: a missing or malformed access key, duplicate bot paths, a
 * bad option. Thrown by `makeApp` and `run` before anything is served.
 * @example
 * makeApp(bot); // throws PoeConfigError when there is no key and allowWithoutKey is not set
 */
export class PoeConfigError extends PoeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "CONFIG", options);
  }
}

/**
 * The user cannot pay for what the bot is about to do. Thrown from `getResponse`, it becomes an
 * `error` event with `error_type: "insufficient_fund"`, and Poe shows its own message.
 * @example
 * if (balance < price) throw new InsufficientFundError(); // bot.authorizeCost throws it for you
 */
export class InsufficientFundError extends PoeError {
  constructor(message = "The user has insufficient funds for this request.", options?: ErrorOptions) {
    super(message, "INSUFFICIENT_FUND", options);
  }
}

/** What a {@link BotError} knows about the `error` event it came from. */
export interface BotErrorDetails {
  /** The bot that answered with the error. */
  botName?: string | undefined;
  /** Whether the bot allowed a retry (`allow_retry`); `true` when it did not say. */
  allowRetry?: boolean;
  /** The event's `error_type`, such as `"insufficient_fund"`. */
  errorType?: string | null | undefined;
  /** The event's data as sent. */
  rawResponse?: unknown;
}

/**
 * Another bot answered with an `error` event (or could not be reached after every try). The client
 * retries it when nothing had reached the caller yet; `retryable` says whether the bot allowed that.
 * @example
 * try { await getFinalResponse(request, "GPT-4o", key); }
 * catch (error) { if (error instanceof BotError) yield new ErrorResponse({ text: error.message }); }
 */
export class BotError extends PoeError {
  readonly botName: string | undefined;
  readonly allowRetry: boolean;
  readonly errorType: string | null;
  readonly rawResponse: unknown;
  constructor(message: string, details: BotErrorDetails = {}, options?: ErrorOptions, code = "BOT_ERROR") {
    super(message, code, options);
    this.botName = details.botName;
    this.allowRetry = details.allowRetry ?? true;
    this.errorType = details.errorType ?? null;
    this.rawResponse = details.rawResponse;
  }
  /** Whether trying the same request again may help. */
  get retryable(): boolean {
    return this.allowRetry;
  }
}

/**
 * Another bot answered with an `error` event that has `allow_retry: false`; the client does not retry it.
 * @example
 * catch (error) { if (error instanceof BotErrorNoRetry) console.error("gave up:", error.message); }
 */
export class BotErrorNoRetry extends BotError {
  constructor(message: string, details: BotErrorDetails = {}, options?: ErrorOptions) {
    super(message, { ...details, allowRetry: false }, options, "BOT_ERROR_NO_RETRY");
  }
}

/**
 * Another bot's response broke the protocol: invalid JSON, a field of the wrong type, no `done`.
 * Not retried. `event` and `data` are the offending event as received, when there is one.
 * @example
 * catch (error) { if (error instanceof ProtocolError) console.error(error.botName, error.event, error.data); }
 */
export class ProtocolError extends PoeError {
  readonly botName: string | undefined;
  readonly event: string | undefined;
  readonly data: string | undefined;
  constructor(
    message: string,
    details: { botName?: string | undefined; event?: string; data?: string } = {},
    options?: ErrorOptions,
  ) {
    super(message, "PROTOCOL_ERROR", options);
    this.botName = details.botName;
    this.event = details.event;
    this.data = details.data;
  }
}

/**
 * A Poe API answered with a status other than 2xx, or with a content type the client cannot read.
 * `body` is the start of what it sent (at most 64 KiB), usually the reason.
 * @example
 * catch (error) { if (error instanceof HTTPError && error.status === 401) console.error("check the key"); }
 */
export class HTTPError extends PoeError {
  readonly status: number;
  readonly body: string;
  /** The URL called, with any access key in its path masked. */
  readonly url: string;
  /** The `retry-after` header of the answer, when it had one. */
  readonly retryAfter: string | undefined;
  constructor(
    message: string,
    details: { status: number; body: string; url: string; retryAfter?: string | undefined },
    options?: ErrorOptions,
  ) {
    super(message, "HTTP_ERROR", options);
    this.status = details.status;
    this.body = details.body;
    this.url = details.url;
    this.retryAfter = details.retryAfter;
  }
}

/**
 * A call to one of Poe's APIs failed; `status` and `body` are Poe's answer when there was one. The
 * shared shape of {@link AttachmentUploadError} and {@link CostRequestError}.
 * @example
 * catch (error) { if (error instanceof PoeApiCallError) console.error(error.code, error.status, error.body); }
 */
export class PoeApiCallError extends PoeError {
  readonly status: number | undefined;
  readonly body: string | undefined;
  constructor(
    message: string,
    code: string,
    details: { status?: number | undefined; body?: string | undefined } = {},
    options?: ErrorOptions,
  ) {
    super(message, code, options);
    this.status = details.status;
    this.body = details.body;
  }
}

/**
 * Uploading a file to Poe failed. `status` and `body` are Poe's answer when there was one.
 * @example
 * catch (error) { if (error instanceof AttachmentUploadError) console.error(error.status, error.body); }
 */
export class AttachmentUploadError extends PoeApiCallError {
  constructor(
    message: string,
    details: { status?: number | undefined; body?: string | undefined } = {},
    options?: ErrorOptions,
  ) {
    super(message, "ATTACHMENT_UPLOAD", details, options);
  }
}

/**
 * An authorize or capture cost call failed for a reason other than the user's balance (which is an
 * {@link InsufficientFundError}): the bot has no access key, Poe refused the call, or it failed.
 * @example
 * catch (error) { if (error instanceof CostRequestError) console.error(error.status, error.message); }
 */
export class CostRequestError extends PoeApiCallError {
  constructor(
    message: string,
    details: { status?: number | undefined; body?: string | undefined } = {},
    options?: ErrorOptions,
  ) {
    super(message, "COST_REQUEST", details, options);
  }
}

/**
 * A client function was called with arguments it cannot use (both a file and a URL, no key, …).
 * Thrown before anything is sent.
 * @example
 * await uploadFile({ apiKey }); // InvalidParameterError: give `file` or `fileUrl`
 */
export class InvalidParameterError extends PoeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, "INVALID_PARAMETER", options);
  }
}

/**
 * A model asked for a tool call the client cannot run: no executable of that name, or arguments that
 * are not a JSON object or do not match the tool's schema.
 * @example
 * catch (error) { if (error instanceof ToolCallError) console.error(error.toolName, error.message); }
 */
export class ToolCallError extends PoeError {
  readonly toolName: string;
  constructor(message: string, toolName: string, options?: ErrorOptions) {
    super(message, "TOOL_CALL", options);
    this.toolName = toolName;
  }
}
