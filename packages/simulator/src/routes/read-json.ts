import type { Context } from "hono";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "poekit/protocol";
import type { z } from "zod";
import { ApiError } from "./api-error.js";

/**
 * Whether a parsed body nests deeper than poekit's limit ({@link TOO_DEEP} says so to the caller). Such
 * a body parses, but the store's `JSON.stringify` would then overflow the stack.
 *
 * @example
 * if (tooDeep(json)) return c.json({ detail: TOO_DEEP }, 400);
 */
export function tooDeep(json: unknown): boolean {
  return jsonDepthExceeds(json, MAX_JSON_DEPTH);
}

/** The `detail` of the 400 that refuses a body nested too deeply. */
export const TOO_DEEP = `The body's JSON nests more than ${MAX_JSON_DEPTH} levels deep.`;

/**
 * The request's JSON body checked against `schema`; a 400 saying what is wrong otherwise (the body
 * size is limited before this by the app's body-limit middleware).
 *
 * @example
 * const { name } = await readJson(c, z.object({ name: z.string() }));
 */
export async function readJson<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "The body must be JSON (with Content-Type: application/json).");
  }
  if (tooDeep(body)) throw new ApiError(400, TOO_DEEP);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`)
      .join("; ");
    throw new ApiError(400, `Invalid request body: ${details}`);
  }
  return parsed.data;
}
