const JSON_HEADERS = { "content-type": "application/json" };

/**
 * A JSON response; the shape of every non-stream answer of the server.
 * @example
 * return jsonResponse(400, { detail: "The body is not valid JSON." });
 */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS,
  });
}

/** An error answer: `{"detail": "..."}` plus any extra fields. */
export function errorResponse(
  status: number,
  detail: string,
  extra?: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  return jsonResponse(status, extra ? { detail, ...extra } : { detail }, headers);
}
