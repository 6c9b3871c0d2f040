import * as z from "zod";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * Who wrote a message. `name` is only present in chats with several participants.
 * @example
 * const sender: Sender = { id: "u-…", name: "Ada" };
 */
export const SenderSchema = looseObjectWithDefaults(
  { id: z.string().nullish(), name: z.string().nullish() },
  { id: () => null, name: () => null },
);
export type Sender = z.output<typeof SenderSchema>;
