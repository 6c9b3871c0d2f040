import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./api-error.js";

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
