import { config } from "zod/mini";
// The one locale, by its own path: zod/mini's `locales` would bring every language into a bundle.
import english from "zod/v4/locales/en.js";

/**
 * Gives zod English issue messages ("expected string, received number"), unless the application
 * chose a locale already. The schemas use zod/mini rather than zod: the same validation, but a
 * bundle keeps only the parts used (a Workers bot's bundle is much smaller); unlike zod, zod/mini
 * sets no messages by itself. Called at the top of the modules whose schemas report issues.
 * @example
 * useEnglishMessages();
 */
export function useEnglishMessages(): void {
  if (config().localeError === undefined) config(english());
}
