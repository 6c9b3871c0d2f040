import {
  ErrorResponse,
  PoeBot,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";
import { encodePng, type Rgb } from "./png.js";

/** The colours known by name; any other is written as a hex code. */
const NAMED_COLOURS: Readonly<Record<string, string>> = {
  black: "000000",
  white: "ffffff",
  gray: "808080",
  grey: "808080",
  red: "e53935",
  orange: "fb8c00",
  yellow: "fdd835",
  green: "43a047",
  teal: "00897b",
  blue: "1e88e5",
  purple: "8e24aa",
  pink: "ec407a",
  brown: "6d4c41",
};

/** The colour drawn when the message names none. */
export const DEFAULT_COLOUR = "5d5cde";

/** Width and height of the swatch, in pixels. */
export const SWATCH_SIZE = 96;

/**
 * Draws a swatch of the colour the user names (a name such as "teal", or a hex code such as
 * `#ff8800`) as a PNG, uploads it with `postMessageAttachment({ isInline: true })`, and shows it
 * inside its answer: the Markdown `![name][inline_ref]` refers to the file by the `inline_ref` the
 * upload returned.
 */
export class InlineImageBot extends PoeBot {
  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const message = request.query.findLast((entry) => entry.role === "user")?.content ?? "";
    const named = colourIn(message);
    const hex = named ?? DEFAULT_COLOUR;
    const name = `${hex}.png`;
    let inlineRef: string | null;
    try {
      const png = await swatch(hex);
      ({ inline_ref: inlineRef } = await this.postMessageAttachment({
        messageId: request.message_id,
        fileData: png,
        filename: name,
        contentType: "image/png",
        isInline: true,
        signal: context.signal,
      }));
    } catch (error) {
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({ text: `Could not attach the image: ${error.message}`, allow_retry: true });
      return;
    }
    const intro = named
      ? `Here is #${hex}:`
      : `You named no colour, so here is #${hex}. Name one, such as teal or #ff8800, and I will draw it:`;
    yield `${intro}\n\n![${name}][${inlineRef}]`;
  }

  override async getSettings(): Promise<SettingsResponse> {
    return {
      introduction_message: "Name a colour, such as teal or #ff8800, and I will draw it for you.",
    };
  }
}

/**
 * The colour a message names, as six lower-case hex digits: the first hex code (`#rgb` or `#rrggbb`),
 * else the first colour name; `undefined` when there is neither.
 * @example
 * colourIn("Draw #F80 please"); // "ff8800"
 * colourIn("something teal"); // "00897b"
 */
export function colourIn(message: string): string | undefined {
  const hex = /#([0-9a-f]{6}|[0-9a-f]{3})(?![0-9a-z])/i.exec(message)?.[1]?.toLowerCase();
  if (hex) return hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
  for (const word of message.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const known = NAMED_COLOURS[word];
    if (known) return known;
  }
  return undefined;
}

/**
 * A square PNG of one colour, given as six hex digits.
 * @example
 * const png = await swatch("ff8800");
 */
export async function swatch(hex: string): Promise<Uint8Array> {
  if (!/^[0-9a-f]{6}$/i.test(hex))
    throw new RangeError(`A colour is six hex digits, got ${JSON.stringify(hex)}.`);
  const channel = (at: number) => Number.parseInt(hex.slice(at, at + 2), 16);
  const colour: Rgb = [channel(0), channel(2), channel(4)];
  return encodePng(SWATCH_SIZE, SWATCH_SIZE, () => colour);
}

export default new InlineImageBot();
