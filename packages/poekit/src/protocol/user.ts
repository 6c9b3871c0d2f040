import { z } from "zod";
import { nullable } from "./schema-helpers.js";

/**
 * A participant of the conversation (`QueryRequest.users`).
 * @example
 * const user: User = { id: "u-…", name: null };
 */
export const UserSchema = z.looseObject({
  id: z.string(),
  name: nullable(z.string()),
});
export type User = z.output<typeof UserSchema>;
