import {
  PoeBot,
  type PoeBotOptions,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
  streamRequest,
  type ToolInput,
} from "poekit";
import { z } from "zod";

/** The arguments a model gives `get_current_weather`, checked before the function runs. */
export const weatherArguments = z.object({
  location: z
    .string()
    .describe("The city to look up, optionally with its region or country, e.g. Paris, France"),
  unit: z.enum(["celsius", "fahrenheit"]).optional(),
});

export type WeatherArguments = z.infer<typeof weatherArguments>;

/** What `get_current_weather` answers; the model reads it as JSON. */
export interface WeatherReport {
  location: string;
  temperature: number | "unknown";
  unit: "celsius" | "fahrenheit";
}

/** Fixed readings: this is a demonstration, not a weather service. */
const READINGS: readonly WeatherReport[] = [
  { location: "Tokyo", temperature: 11, unit: "celsius" },
  { location: "San Francisco", temperature: 72, unit: "fahrenheit" },
  { location: "Paris", temperature: 22, unit: "celsius" },
];

/**
 * The current temperature in a city, from a fixed table: a location that mentions Tokyo, San
 * Francisco or Paris (in any case) gets that city's reading; any other gets "unknown" in the unit
 * asked for, Fahrenheit when none was.
 */
export function get_current_weather({ location, unit = "fahrenheit" }: WeatherArguments): WeatherReport {
  const asked = location.toLowerCase();
  const known = READINGS.find((reading) => asked.includes(reading.location.toLowerCase()));
  return known ? { ...known } : { location, temperature: "unknown", unit };
}

/** The tool as the model sees it; the zod schema becomes its JSON Schema. */
export const weatherTool: ToolInput = {
  name: "get_current_weather",
  description: "Looks up the current temperature in a city.",
  parameters: weatherArguments,
};

/** Options of {@link FunctionCallingBot}: those of every bot, plus the model to ask. */
export interface FunctionCallingBotOptions extends PoeBotOptions {
  /** The Poe model that answers and decides when to call the tool; default "GPT-4o-Mini". */
  model?: string;
}

/**
 * Offers a model the weather tool. When the model asks for it, the client runs the function and
 * calls the model again with the results, so one answer can cost two calls to the model.
 */
export class FunctionCallingBot extends PoeBot {
  readonly model: string;

  constructor(options: FunctionCallingBotOptions = {}) {
    const { model = "GPT-4o-Mini", ...botOptions } = options;
    super(botOptions);
    this.model = model;
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    yield* streamRequest(request, this.model, request.access_key, {
      tools: [weatherTool],
      toolExecutables: { get_current_weather },
      signal: context.signal,
    });
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "Ask me about the weather in Tokyo, San Francisco or Paris.",
      // One call that may ask for the tool, and one more with its results.
      server_bot_dependencies: { [this.model]: 2 },
    };
  }
}

export default new FunctionCallingBot();
