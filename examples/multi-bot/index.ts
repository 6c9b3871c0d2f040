import { PoeBot, type ProtocolMessage, type QueryRequest, type SettingsResponse } from "poekit";

/** How much of each message the transcript quotes. */
export const QUOTE_LENGTH = 80;

/**
 * Who wrote a message, from its `sender`: the name Poe gives (bots always have one; users only in
 * chats with several people), else the id, else what the role says.
 * @example
 * speakerOf({ role: "bot", sender: { id: "Echo", name: "Echo" }, … }); // "Echo"
 */
export function speakerOf(message: ProtocolMessage): string {
  if (message.role === "user") return message.sender?.name || "you";
  const named = message.sender?.name || message.sender?.id;
  if (message.role === "bot") return named || "a bot";
  return named || `someone (role "${message.role}")`;
}

/**
 * The start of a message on one line, Markdown characters escaped so that it shows as written.
 * @example
 * quote("**Hi**\nthere"); // "\\*\\*Hi\\*\\* there"
 */
export function quote(content: string): string {
  const line = content.replace(/\s+/g, " ").trim();
  const short = line.length > QUOTE_LENGTH ? `${line.slice(0, QUOTE_LENGTH - 1)}…` : line;
  return short.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (character) => `\\${character}`);
}

/**
 * Made for chats with several bots: it answers with who said what so far, read from each message's
 * `sender`. Its settings ask Poe for the other bots' messages too (multi-entity prompting) and keep
 * every message separate (no role alternation), so each keeps its own sender.
 * @example
 * export default new WhoSaidWhatBot();
 */
export class WhoSaidWhatBot extends PoeBot {
  override async *getResponse(request: QueryRequest) {
    const said = request.query.filter((message) => message.role !== "system");
    if (said.length === 0) {
      yield "Nobody has said anything yet.";
      return;
    }
    const counts = new Map<string, number>();
    const lines = said.map((message, index) => {
      const speaker = speakerOf(message);
      counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
      return `${index + 1}. **${quote(speaker)}**: ${quote(message.content) || "_(nothing)_"}`;
    });
    const tally = [...counts].map(([speaker, count]) => `${quote(speaker)} ${count}`).join(", ");
    yield `Who said what in this chat, oldest first:\n\n${lines.join("\n")}\n\nMessages per speaker: ${tally}.`;
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      // Send this bot the messages other bots wrote in the chat, each with its sender.
      enable_multi_entity_prompting: true,
      // Alternation would merge the answers of two bots in a row into one message with one sender.
      enforce_author_role_alternation: false,
      introduction_message:
        "Bring other bots into this chat with @Name; ask me, and I will tell you who said what.",
    };
  }
}

export default new WhoSaidWhatBot();
