import type { SimulatorContext } from "../context.js";
import type { MessageRecord } from "../model.js";

/**
 * The message with a new URL for every file stored here: the page shows files long after the URL a
 * bot was given has expired.
 *
 * @example
 * return c.json(withFreshUrls(context, message));
 */
export function withFreshUrls(context: SimulatorContext, message: MessageRecord): MessageRecord {
  if (!message.attachments.some((file) => file.fileId)) return message;
  return {
    ...message,
    attachments: message.attachments.map((file) =>
      file.fileId
        ? {
            ...file,
            url: `${context.origin()}${context.fileUrls.pathFor({ id: file.fileId, name: file.name })}`,
          }
        : file,
    ),
  };
}
