import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * A participant of the conversation (`QueryRequest.users`).
 * @example
 * const user: User = { id: "u-…", name: null };
 */
export const UserSchema = looseObjectWithDefaults(
  { id: z.string(), name: z.nullish(z.string()) },
  { name: () => null },
);
export type User = z.output<typeof UserSchema>;
