import {
  CostItem,
  ErrorResponse,
  InsufficientFundError,
  PoeBot,
  type PoeBotOptions,
  PoeError,
  type QueryRequest,
  type RequestContext,
  type SettingsResponse,
} from "poekit";

/** Options of {@link CostBot}: those of every bot, plus the price of one answer. */
export interface CostBotOptions extends PoeBotOptions {
  /** What one answer costs, in thousandths of a US cent; default 500 (half a cent). */
  priceMilliCents?: number;
}

/**
 * Charges the user a fixed price for every answer. Before doing the work it asks Poe to reserve the
 * price (`authorizeCost`); once the answer is ready it charges it (`captureCost`), and only then sends
 * it. A user whose balance cannot cover the price gets an `insufficient_fund` error, which Poe shows
 * with its own way to add funds. Poe lets only bots enrolled in its creator monetization charge.
 */
export class CostBot extends PoeBot {
  readonly price: CostItem;

  constructor(options: CostBotOptions = {}) {
    const { priceMilliCents = 500, ...botOptions } = options;
    super(botOptions);
    this.price = new CostItem({ amount_usd_milli_cents: priceMilliCents, description: "One answer" });
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    const signal = context.signal;
    try {
      await this.authorizeCost(request, this.price, { signal });
      // The work paid for: cheap here, a call to an expensive model or API in a real bot.
      const answer = describeMessage(request.query.findLast((message) => message.role === "user")?.content);
      await this.captureCost(request, this.price, { signal });
      yield `${answer}\n\n_This answer cost ${formatCents(this.price.amount_usd_milli_cents)}._`;
    } catch (error) {
      if (error instanceof InsufficientFundError) {
        yield new ErrorResponse({
          text: `This answer costs ${formatCents(this.price.amount_usd_milli_cents)}, which is more than your balance. Add funds and send the message again.`,
          error_type: "insufficient_fund",
          allow_retry: false,
        });
        return;
      }
      // Anything else that went wrong with the cost call (no key, no bot_query_id, Poe unreachable).
      if (!(error instanceof PoeError)) throw error;
      yield new ErrorResponse({
        text: `Could not charge for this answer, so it was not written: ${error.message}`,
        allow_retry: true,
      });
    }
  }

  override async getSettings(): Promise<SettingsResponse> {
    const price = `[usd_milli_cents=${this.price.amount_usd_milli_cents}]`;
    return {
      introduction_message: `Every answer costs ${formatCents(this.price.amount_usd_milli_cents)}. Send a message and I will tell you about it.`,
      rate_card: `${price} per message`,
      cost_label: price,
    };
  }
}

/**
 * The paid-for answer: how many words and characters the message has.
 * @example
 * describeMessage("Hello there"); // "Your message has 2 words and 11 characters."
 */
export function describeMessage(content: string | undefined): string {
  const text = content?.trim() ?? "";
  if (text === "") return "Your message is empty.";
  const words = text.split(/\s+/u).length;
  const characters = Array.from(text).length;
  return `Your message has ${plural(words, "word")} and ${plural(characters, "character")}.`;
}

/**
 * An amount in thousandths of a cent, written in cents.
 * @example
 * formatCents(500); // "0.5 cents"
 */
export function formatCents(milliCents: number): string {
  const cents = milliCents / 1000;
  return `${cents} ${cents === 1 ? "cent" : "cents"}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export default new CostBot();
