/**
 * The page's client for the simulator's `/api`: one typed function per endpoint of the README's contract.
 * Every failure becomes an `ApiError` carrying the server's `detail`, so callers can show it.
 */
import type {
  BotRecord,
  ConversationRecord,
  ExchangeRecord,
  MessageRecord,
  RawEventRecord,
  SimulatorState,
  UploadedFile,
} from "../../src/model.ts";

/** A request that failed: an HTTP error answer (`status` > 0) or no answer at all (`status` 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly path: string;

  constructor(status: number, detail: string, path: string) {
    super(status > 0 ? `${detail} (HTTP ${status})` : detail);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.path = path;
  }
}

/** Reads the `detail` of an error answer, falling back to the status text and the body's start. */
async function errorDetail(response: Response): Promise<string> {
  const body = await response.text().catch(() => "");
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object" && "detail" in parsed) {
      const detail = (parsed as { detail: unknown }).detail;
      return typeof detail === "string" ? detail : JSON.stringify(detail);
    }
  } catch {
    // Not JSON: use the text below.
  }
  const text = body.trim().slice(0, 300);
  return text || response.statusText || "Request failed";
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: "application/json" } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { accept: "application/json", "content-type": "application/json" };
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(0, `The simulator did not answer ${method} ${path}: ${reason}`, path);
  }
  if (!response.ok) {
    throw new ApiError(response.status, await errorDetail(response), path);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, `The answer to ${method} ${path} is not JSON`, path);
  }
}

const segment = encodeURIComponent;

/** What `GET /api/conversations/:id` answers. */
export interface ConversationWithMessages {
  conversation: ConversationRecord;
  messages: MessageRecord[];
}

/** What `GET /api/messages/:id/exchanges` answers. */
export interface MessageExchanges {
  exchanges: ExchangeRecord[];
  events: RawEventRecord[];
}

/** What `POST /api/conversations/:id/messages` answers. */
export interface SentMessage {
  userMessage: MessageRecord;
  botMessages: MessageRecord[];
}

/** What feedback and reaction calls answer: the message, and whether the bot took the report. */
export type ReportedMessage = MessageRecord & {
  delivery?: { delivered: boolean; detail?: string | null };
};

/** The body of `POST /api/conversations/:id/messages`. */
export interface NewMessage {
  text: string;
  attachments?: string[];
  parameters?: Record<string, unknown>;
}

export const api = {
  state: () => call<SimulatorState>("GET", "/api/state"),

  registerBot: (bot: { name: string; url: string; accessKey?: string }) =>
    call<BotRecord>("POST", "/api/bots", bot),
  deleteBot: (name: string) => call<void>("DELETE", `/api/bots/${segment(name)}`),
  refetchSettings: (name: string) => call<BotRecord>("POST", `/api/bots/${segment(name)}/settings`),

  conversations: () => call<ConversationRecord[]>("GET", "/api/conversations"),
  createConversation: (botName: string, title?: string) =>
    call<ConversationRecord>("POST", "/api/conversations", title ? { botName, title } : { botName }),
  conversation: (id: string) => call<ConversationWithMessages>("GET", `/api/conversations/${segment(id)}`),
  deleteConversation: (id: string) => call<void>("DELETE", `/api/conversations/${segment(id)}`),
  clearContext: (id: string) =>
    call<{ conversation: ConversationRecord; message: MessageRecord }>(
      "POST",
      `/api/conversations/${segment(id)}/clear`,
    ),
  sendMessage: (conversationId: string, message: NewMessage) =>
    call<SentMessage>("POST", `/api/conversations/${segment(conversationId)}/messages`, message),

  retry: (messageId: string) =>
    call<{ botMessage: MessageRecord }>("POST", `/api/messages/${segment(messageId)}/retry`),
  feedback: (messageId: string, type: "like" | "dislike", reason?: string) =>
    call<ReportedMessage>(
      "POST",
      `/api/messages/${segment(messageId)}/feedback`,
      reason ? { type, reason } : { type },
    ),
  react: (messageId: string, reaction: string) =>
    call<ReportedMessage>("POST", `/api/messages/${segment(messageId)}/reactions`, { reaction }),
  exchanges: (messageId: string) =>
    call<MessageExchanges>("GET", `/api/messages/${segment(messageId)}/exchanges`),

  upload: (file: File) => {
    const form = new FormData();
    form.append("file", file, file.name);
    return call<UploadedFile>("POST", "/api/uploads", form);
  },

  balance: () => call<{ balance: number }>("GET", "/api/balance"),
  setBalance: (balance: number) => call<{ balance: number }>("PUT", "/api/balance", { balance }),
};
