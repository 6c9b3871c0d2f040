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
 * if (!(await bot.authorizeCost(request, amounts))) throw new InsufficientFundError();
 */
export class InsufficientFundError extends PoeError {
  constructor(message = "The user has insufficient funds for this request.", options?: ErrorOptions) {
    super(message, "INSUFFICIENT_FUND", options);
  }
}
