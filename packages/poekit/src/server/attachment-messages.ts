import type { Attachment } from "../protocol/attachment.js";
import { type ProtocolMessage, ProtocolMessageSchema } from "../protocol/protocol-message.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { imageAttachmentPrompt, textAttachmentPrompt, urlAttachmentPrompt } from "./attachment-templates.js";

/** Separates the file name from the description in an image's `parsed_content`. */
const IMAGE_NAME_SEPARATOR = "***";

/**
 * Splits an image's `parsed_content` at the first `***` into file name and description. Without a
 * separator the attachment's own name is used and the whole text is the description.
 */
function splitImageContent(attachment: Attachment, parsedContent: string): [string, string] {
  const index = parsedContent.indexOf(IMAGE_NAME_SEPARATOR);
  if (index === -1) {
    return [attachment.name, parsedContent];
  }
  return [parsedContent.slice(0, index), parsedContent.slice(index + IMAGE_NAME_SEPARATOR.length)];
}

function imagePrompt(attachment: Attachment, parsedContent: string): string {
  const [filename, parsedImageDescription] = splitImageContent(attachment, parsedContent);
  return imageAttachmentPrompt({ filename, parsedImageDescription });
}

/** A user message with the given content and every other field at its default. */
function userMessage(content: string): ProtocolMessage {
  return ProtocolMessageSchema.parse({ role: "user", content, sender: { id: null, name: null } });
}

/**
 * Gives the model what Poe parsed from the files the user attached to the latest message: each
 * parsed attachment becomes a user message of its own, placed just before that latest message.
 *
 * Only the attachments of the last message with a non-empty `parsed_content` are used, in their order:
 * - `text/html` (a web page) and `text/*` or `application/pdf` files become one message each, from the
 *   URL and text templates;
 * - images (a content type containing `image`) become one message each, from the image template, placed
 *   after the text messages. Poe sends their `parsed_content` as `"<filename>***<description>"`; without
 *   `***` the attachment's name is used as the file name;
 * - anything else (video, audio, …) is left out.
 *
 * The new messages have role `user`, an empty sender and defaults for every other field. The last message
 * stays as it was, attachments included. Because this adds user turns, a model that needs roles to
 * alternate also needs `makePromptAuthorRoleAlternated` (from `role-alternation.ts`).
 *
 * Returns a new request (a shallow copy with a new `query` array); the request given is not changed.
 * A request with nothing to insert (no parsed attachment on the last message, or an empty `query`)
 * is returned as it is.
 *
 * @example
 * const withFiles = insertAttachmentMessages(request);
 * // withFiles.query: earlier messages, one user message per parsed file, then the user's latest message
 * withFiles.query.at(-1) === request.query.at(-1); // true
 */
export function insertAttachmentMessages(request: QueryRequest): QueryRequest {
  const last = request.query.at(-1);
  if (last === undefined) {
    return request;
  }
  const textMessages: ProtocolMessage[] = [];
  const imageMessages: ProtocolMessage[] = [];
  for (const attachment of last.attachments) {
    const parsedContent = attachment.parsed_content;
    if (!parsedContent) {
      continue;
    }
    const contentType = attachment.content_type;
    if (contentType === "text/html") {
      textMessages.push(
        userMessage(urlAttachmentPrompt({ attachmentName: attachment.name, content: parsedContent })),
      );
    } else if (contentType.startsWith("text/") || contentType === "application/pdf") {
      textMessages.push(
        userMessage(textAttachmentPrompt({ attachmentName: attachment.name, parsedContent })),
      );
    } else if (contentType.includes("image")) {
      imageMessages.push(userMessage(imagePrompt(attachment, parsedContent)));
    }
  }
  if (textMessages.length === 0 && imageMessages.length === 0) return request;
  return {
    ...request,
    query: [...request.query.slice(0, -1), ...textMessages, ...imageMessages, last],
  };
}

let concatWarningShown = false;

const CONCAT_DEPRECATION =
  "concatAttachmentContentToMessageBody() is deprecated: use insertAttachmentMessages(), which gives " +
  "each attachment a message of its own.";

function warnConcatDeprecated(): void {
  if (concatWarningShown) {
    return;
  }
  concatWarningShown = true;
  // Workers and browsers may have no `process`, or one without `emitWarning`.
  const nodeProcess = globalThis.process;
  if (typeof nodeProcess?.emitWarning === "function") {
    nodeProcess.emitWarning(CONCAT_DEPRECATION, {
      type: "DeprecationWarning",
      code: "POEKIT_CONCAT_ATTACHMENTS",
    });
  } else {
    console.warn(`DeprecationWarning: ${CONCAT_DEPRECATION}`);
  }
}

/**
 * Appends what Poe parsed from the last message's attachments to that message's content, each part
 * after a blank line: web pages (`text/html`) with the URL template, content types containing `text`
 * with the text template, those containing `image` with the image template (an image's
 * `parsed_content` without `***` uses the attachment's name as the file name). Other attachments, and
 * those without `parsed_content`, are left out.
 *
 * Returns a new request with a new last message; the request given is not changed. A request with an
 * empty `query` is returned as it is. The first call in a process emits a deprecation warning.
 *
 * @deprecated Use {@link insertAttachmentMessages}, which keeps each attachment in a message of its own.
 * @example
 * const request2 = concatAttachmentContentToMessageBody(request);
 * request2.query.at(-1)?.content; // "Summarize this\n\nWrite your answer in the same language…"
 */
export function concatAttachmentContentToMessageBody(request: QueryRequest): QueryRequest {
  warnConcatDeprecated();
  const last = request.query.at(-1);
  if (last === undefined) {
    return request;
  }
  let content = last.content;
  for (const attachment of last.attachments) {
    const parsedContent = attachment.parsed_content;
    if (!parsedContent) {
      continue;
    }
    const contentType = attachment.content_type;
    let prompt: string | undefined;
    if (contentType === "text/html") {
      prompt = urlAttachmentPrompt({ attachmentName: attachment.name, content: parsedContent });
    } else if (contentType.includes("text")) {
      prompt = textAttachmentPrompt({ attachmentName: attachment.name, parsedContent });
    } else if (contentType.includes("image")) {
      prompt = imagePrompt(attachment, parsedContent);
    }
    if (prompt !== undefined) {
      content += `\n\n${prompt}`;
    }
  }
  return { ...request, query: [...request.query.slice(0, -1), { ...last, content }] };
}
