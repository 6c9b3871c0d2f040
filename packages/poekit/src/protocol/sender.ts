import { z } from "zod";
import { nullable } from "./schema-helpers.js";

/**
 * Who wrote a message. `name` is only present in chats with several participants.
 * @example
 * const sender: Sender = { id: "u-…", name: "Ada" };
 */
export const SenderSchema = z.looseObject({
  id: nullable(z.string()),
  name: nullable(z.string()),
});
export type Sender = z.output<typeof SenderSchema>;
