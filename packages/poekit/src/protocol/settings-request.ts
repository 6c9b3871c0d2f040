import * as z from "zod/mini";

/**
 * Poe asks the bot for its settings.
 * @example
 * SettingsRequestSchema.parse({ version: "1.2", type: "settings" });
 */
export const SettingsRequestSchema = z.looseObject({
  version: z.string(),
  type: z.literal("settings"),
});
export type SettingsRequest = z.output<typeof SettingsRequestSchema>;
