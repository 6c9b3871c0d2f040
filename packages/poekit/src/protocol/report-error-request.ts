import * as z from "zod/mini";
import { looseObjectWithDefaults } from "./schema-helpers.js";

/**
 * Poe tells the bot that its response broke the protocol (not sent for every error).
 * @example
 * ReportErrorRequestSchema.parse({ version: "1.2", type: "report_error",
 *   message: "Bot returned no text in response", metadata: { message_id: "m-…" } });
 */
export const ReportErrorRequestSchema = looseObjectWithDefaults(
  {
    version: z.string(),
    type: z.literal("report_error"),
    message: z.string(),
    /** Contents are not specified by Poe. */
    metadata: z.nullish(z.record(z.string(), z.unknown())),
  },
  { metadata: () => ({}) },
);
export type ReportErrorRequest = z.output<typeof ReportErrorRequestSchema>;
