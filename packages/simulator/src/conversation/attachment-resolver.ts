import type { Attachment } from "poekit";
import { parsedContentFor } from "../attachments/parsed-content.js";
import { describeImageWithBot } from "../bots/vision-bot.js";
import type { SimulatorContext } from "../context.js";
import type { BotSettings, MessageFile } from "../model.js";

/** Parsed attachments kept per simulator (a PDF is not parsed again on every turn). */
export const MAX_CACHED_PARSED = 200;

/**
 * Turns a message's files into the `attachments` Poe sends a bot: stored files get a fresh URL (they
 * expire) and, as the bot's settings ask, their text or an image description in `parsed_content`.
 *
 * @example
 * const attachment = await attachmentResolver(context, settings)(file);
 */
export function attachmentResolver(
  context: SimulatorContext,
  settings: BotSettings,
): (file: MessageFile) => Promise<Attachment> {
  return async (file) => {
    if (file.fileId === null) {
      return {
        url: file.url,
        content_type: file.contentType,
        name: file.name,
        inline_ref: file.inlineRef,
        parsed_content: null,
      };
    }
    const url = `${context.origin()}${context.fileUrls.pathFor({ id: file.fileId, name: file.name })}`;
    const key = `${file.fileId}|${settings.expandTextAttachments}|${settings.enableImageComprehension}`;
    const cache = context.parsedContentCache;
    let parsed = cache.get(key);
    if (parsed === undefined) {
      const bytes = context.store.files.data(file.fileId);
      // A vision bot that failed this time may answer next time: only its answers are kept.
      let fellBack = false;
      const describeImageWithModel = context.visionBot
        ? async (image: { name: string; contentType: string }) => {
            const described = await describeImageWithBot(context, context.visionBot as string, {
              ...image,
              url,
            });
            fellBack = described === null;
            return described;
          }
        : undefined;
      parsed = bytes
        ? await parsedContentFor(
            { bytes: new Uint8Array(bytes), contentType: file.contentType, name: file.name },
            settings,
            {
              describeImageWithModel,
              onModelError: () => {
                fellBack = true;
              },
            },
          )
        : null;
      if (!fellBack) {
        if (cache.size >= MAX_CACHED_PARSED) cache.delete(cache.keys().next().value as string);
        cache.set(key, parsed);
      }
    }
    return {
      url,
      content_type: file.contentType,
      name: file.name,
      inline_ref: file.inlineRef,
      parsed_content: parsed,
    };
  };
}
