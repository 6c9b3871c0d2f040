import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * Who wrote a message. `name` is only present in chats with several participants.
 * @example
 * const sender: Sender = { id: "u-…", name: "Ada" };
 */
export const SenderSchema = looseObjectWithDefaults(
  { id: z.nullish(z.string()), name: z.nullish(z.string()) },
  { id: () => null, name: () => null },
);
export type Sender = z.output<typeof SenderSchema>;
