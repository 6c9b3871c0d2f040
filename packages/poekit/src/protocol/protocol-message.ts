import * as z from "zod/mini";
import { type Attachment, AttachmentSchema } from "./attachment.js";
import { type MessageFeedback, MessageFeedbackSchema } from "./message-feedback.js";
import { type MessageReaction, MessageReactionSchema } from "./message-reaction.js";
import { looseObjectWithDefaults, openEnum } from "./schema-helpers.js";
import { type Sender, SenderSchema } from "./sender.js";

/** The roles Poe sends today. Messages with other roles are kept; helpers leave them out. */
export type KnownRole = "system" | "user" | "bot" | "tool";
// The type is spelled out, not derived from this list, so that the API reference shows the roles
// without exporting the list.
export const KNOWN_ROLES = ["system", "user", "bot", "tool"] as const satisfies readonly KnownRole[];
export const RoleSchema = openEnum(KNOWN_ROLES);
export type Role = z.output<typeof RoleSchema>;

/**
 * Whether a role is one poekit knows; narrows the type.
 * @example
 * const known = request.query.filter((message) => isKnownRole(message.role));
 */
export function isKnownRole(role: Role): role is KnownRole {
  return (KNOWN_ROLES as readonly string[]).includes(role);
}

/** Content types of a message; Poe renders unknown ones as plain text. */
export const CONTENT_TYPES = ["text/markdown", "text/plain"] as const;
export const ContentTypeSchema = openEnum(CONTENT_TYPES);
export type ContentType = z.output<typeof ContentTypeSchema>;

/** `"function_call"` marks a bot message holding tool calls. */
export const MESSAGE_TYPES = ["function_call"] as const;
export const MessageTypeSchema = openEnum(MESSAGE_TYPES);
export type MessageType = z.output<typeof MessageTypeSchema>;

/**
 * One message of the conversation, as received in `QueryRequest.query`.
 * Absent optional fields are filled with the protocol's defaults when a request is parsed.
 */
export interface ProtocolMessage {
  role: Role;
  message_type: MessageType | null;
  /** @deprecated Poe sends `sender` instead. */
  sender_id: string | null;
  sender: Sender | null;
  content: string;
  /** Values of the bot's parameter controls chosen by the user. */
  parameters: Record<string, unknown>;
  content_type: ContentType;
  /** Microseconds since the epoch. */
  timestamp: number;
  message_id: string;
  feedback: MessageFeedback[];
  attachments: Attachment[];
  /** The last `data` event this bot sent with that message. */
  metadata: string | null;
  /** The message this one replies to. */
  referenced_message: ProtocolMessage | null;
  reactions: MessageReaction[];
  [key: string]: unknown;
}

/**
 * How deep replies are validated: a message's `referenced_message`, that one's, and so on. Deeper
 * levels are kept as sent. A schema that refers to itself would validate any depth, but zod's
 * bookkeeping for recursive schemas made every request several times slower to parse.
 */
export const REFERENCED_MESSAGE_DEPTH = 4;

function messageSchema(depth: number): z.ZodMiniType<ProtocolMessage, ProtocolMessageInit> {
  const referenced =
    depth > 0
      ? z.nullish(messageSchema(depth - 1))
      : z.nullish(
          z.custom<ProtocolMessage>((value) => typeof value === "object", { error: "expected an object" }),
        );
  return looseObjectWithDefaults(
    {
      role: RoleSchema,
      message_type: z.nullish(MessageTypeSchema),
      sender_id: z.nullish(z.string()),
      sender: z.nullish(SenderSchema),
      content: z.string(),
      parameters: z.nullish(z.record(z.string(), z.unknown())),
      content_type: z.nullish(ContentTypeSchema),
      timestamp: z.nullish(z.number()),
      message_id: z.nullish(z.string()),
      feedback: z.nullish(z.array(MessageFeedbackSchema)),
      attachments: z.nullish(z.array(AttachmentSchema)),
      metadata: z.nullish(z.string()),
      referenced_message: referenced,
      reactions: z.nullish(z.array(MessageReactionSchema)),
    },
    {
      message_type: () => null,
      sender_id: () => null,
      sender: () => null,
      parameters: () => ({}),
      content_type: () => "text/markdown",
      timestamp: () => 0,
      message_id: () => "",
      feedback: () => [],
      attachments: () => [],
      metadata: () => null,
      referenced_message: () => null,
      reactions: () => [],
    },
  );
}

/**
 * Validates a message and fills its defaults.
 * @example
 * const message = ProtocolMessageSchema.parse({ role: "user", content: "Hello" });
 * message.attachments; // []
 */
export const ProtocolMessageSchema = messageSchema(REFERENCED_MESSAGE_DEPTH);

/** A message as it may be written: only `role` and `content` are required. */
export interface ProtocolMessageInit {
  role: Role;
  content: string;
  message_type?: MessageType | null;
  sender_id?: string | null;
  sender?: Partial<Sender> | null;
  parameters?: Record<string, unknown> | null;
  content_type?: ContentType | null;
  timestamp?: number | null;
  message_id?: string | null;
  feedback?: Array<{ type: string; reason?: string | null }> | null;
  attachments?: Array<Omit<Attachment, "inline_ref" | "parsed_content"> & Partial<Attachment>> | null;
  metadata?: string | null;
  referenced_message?: ProtocolMessageInit | null;
  reactions?: MessageReaction[] | null;
  [key: string]: unknown;
}
