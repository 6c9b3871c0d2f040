import type { Attachment } from "../protocol/attachment.js";
import { isKnownRole, type ProtocolMessage } from "../protocol/protocol-message.js";

/** The attachments in order, keeping only the first of those that share a `url`. */
function uniqueByUrl(attachments: readonly Attachment[]): Attachment[] {
  const seen = new Set<string>();
  const unique: Attachment[] = [];
  for (const attachment of attachments) {
    if (!seen.has(attachment.url)) {
      seen.add(attachment.url);
      unique.push(attachment);
    }
  }
  return unique;
}

/**
 * Merges consecutive messages of the same role, for model APIs that want roles to alternate (for
 * example after `insertAttachmentMessages` has added user turns).
 *
 * Goes through the messages once, oldest first. A message whose role equals that of the message last
 * written to the result is merged into it: the contents are joined with a blank line (`"\n\n"`), the
 * attachments become the newer message's followed by the older one's with repeated `url`s dropped (the
 * first one is kept), and every other field (sender, id, timestamp, …) stays that of the older message.
 * Any role merges with itself, `system` and `tool` included; nothing is added or reordered.
 *
 * Messages whose role poekit does not know (anything but `system`, `user`, `bot` and `tool`) are left
 * out, since the result is meant for a model API that knows only those roles; the messages around them
 * then count as consecutive.
 *
 * Returns a new list of new message objects; the messages given are not changed.
 *
 * @example
 * const messages = makePromptAuthorRoleAlternated(insertAttachmentMessages(request).query);
 * // e.g. [system, user, bot, user]: the file messages and the latest message are now one user turn
 */
export function makePromptAuthorRoleAlternated(messages: readonly ProtocolMessage[]): ProtocolMessage[] {
  const result: ProtocolMessage[] = [];
  for (const message of messages) {
    if (!isKnownRole(message.role)) {
      continue;
    }
    const previous = result.at(-1);
    if (previous !== undefined && previous.role === message.role) {
      result[result.length - 1] = {
        ...previous,
        content: `${previous.content}\n\n${message.content}`,
        attachments: uniqueByUrl([...message.attachments, ...previous.attachments]),
      };
    } else {
      result.push({ ...message, attachments: [...message.attachments] });
    }
  }
  return result;
}
