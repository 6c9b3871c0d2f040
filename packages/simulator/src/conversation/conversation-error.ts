/**
 * Why the conversation domain cannot do what was asked: something it names does not exist, or a bot's
 * settings refuse it. The domain knows no HTTP; the routes' error handler answers 404 and 422.
 */
export class ConversationError extends Error {
  override readonly name = "ConversationError";

  constructor(
    readonly reason: "not-found" | "refused",
    message: string,
  ) {
    super(message);
  }
}
