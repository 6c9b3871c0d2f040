import {
  PoeBot,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
  streamRequest,
  type ToolInput,
} from "poekit";
import { z } from "zod";

/** The Poe bot that answers and decides when to call the tool. */
export const MODEL = "GPT-4o-Mini";

/** The arguments the model gives `get_current_time`; poekit checks them before the function runs. */
export const currentTimeArguments = z.object({
  time_zone: z.string().describe("An IANA time zone, such as Europe/Paris or Asia/Kathmandu"),
});

/** What `get_current_time` answers; the model reads it as JSON. */
export type CurrentTime = { time_zone: string; local_time: string } | { time_zone: string; error: string };

/**
 * The current date and time in a time zone: something a model cannot know by itself. An unknown zone
 * is answered with an error the model can read and correct, rather than thrown. `now` is for tests.
 */
export function get_current_time(
  { time_zone }: z.infer<typeof currentTimeArguments>,
  now: Date = new Date(),
): CurrentTime {
  try {
    const format = new Intl.DateTimeFormat("en-GB", {
      timeZone: time_zone,
      dateStyle: "full",
      timeStyle: "short",
      hourCycle: "h23",
    });
    return { time_zone, local_time: format.format(now) };
  } catch {
    return { time_zone, error: "Unknown time zone; use an IANA name such as Europe/Paris." };
  }
}

/** The tool as the model sees it: the zod schema becomes its JSON Schema. */
export const currentTimeTool: ToolInput = {
  name: "get_current_time",
  description: "The current date and time in a time zone.",
  parameters: currentTimeArguments,
};

/**
 * Offers {@link MODEL} the `get_current_time` tool. When the model calls it, poekit runs the function
 * and calls the model again with the result, so one answer may take two calls to the model.
 */
export class FunctionCallingBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    yield* streamRequest(request, MODEL, request.access_key, {
      tools: [currentTimeTool],
      toolExecutables: { get_current_time },
      signal: context.signal,
    });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "Ask me what time it is anywhere in the world.",
      // One call that may ask for the tool, and one more with its result.
      server_bot_dependencies: { [MODEL]: 2 },
    };
  }
}

export default new FunctionCallingBot();
