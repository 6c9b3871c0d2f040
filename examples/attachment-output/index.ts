import {
  ErrorResponse,
  PoeBot,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";

/** The name the user's message is attached under. */
export const FILE_NAME = "message.txt";

/**
 * Answers with a file: the user's last message, written into a text file and attached to the answer
 * with `postMessageAttachment`. The upload goes to Poe's file API with the bot's access key; the
 * `file` event is sent just before the text that follows it.
 */
export class AttachmentOutputBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const message = request.query.findLast((entry) => entry.role === "user")?.content ?? "";
    if (message.trim() === "") {
      yield "Send me some text and I will give it back to you as a file.";
      return;
    }
    try {
      await this.postMessageAttachment({
        messageId: request.message_id,
        fileData: new TextEncoder().encode(message),
        filename: FILE_NAME,
        contentType: "text/plain",
        signal: context.signal,
      });
    } catch (error) {
      // A missing key or a failed upload is worth telling the user; a bug is not ours to describe.
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({ text: `Could not attach ${FILE_NAME}: ${error.message}`, allow_retry: true });
      return;
    }
    yield `Here is your message as a file, ${FILE_NAME}.`;
  }

  override async getSettings(): Promise<SettingsResponse> {
    return { introduction_message: "Send me a message and I will send it back to you as a text file." };
  }
}

export default new AttachmentOutputBot();
