/**
 * A client mistake with the HTTP status to answer and a sentence saying what was wrong; the routes
 * turn it into `{"detail": ...}`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}
