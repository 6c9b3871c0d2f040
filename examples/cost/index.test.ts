import { createTestClient, mockBots } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { CostBot, describeMessage, formatCents } from "./index.js";

const KEY = "costbot-test-key-0123456789abcde";
const QUERY_ID = "bq-test-1";

describe("cost", () => {
  it("default-exports a bot charging half a cent, with its price in the settings", async () => {
    expect(bot).toBeInstanceOf(CostBot);
    expect(bot.price.amount_usd_milli_cents).toBe(500);
    const settings = await createTestClient(new CostBot()).settings();
    expect(settings.rate_card).toBe("[usd_milli_cents=500] per message");
    expect(settings.cost_label).toBe("[usd_milli_cents=500]");
    expect(settings.introduction_message).toContain("0.5 cents");
  });

  it("authorizes the price, then captures it, then answers", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new CostBot({ accessKey: KEY, priceMilliCents: 1500 })).query(
      "Hello there",
      { bot_query_id: QUERY_ID },
    );
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe(
      "Your message has 2 words and 11 characters.\n\n_This answer cost 1.5 cents._",
    );
    const amounts = [{ amount_usd_milli_cents: 1500, description: "One answer" }];
    expect(mocks.costCalls).toEqual([
      { action: "authorize", botQueryId: QUERY_ID, amounts, maskedAccessKey: "cost…" },
      { action: "capture", botQueryId: QUERY_ID, amounts, maskedAccessKey: "cost…" },
    ]);
  });

  it("answers an insufficient_fund error, and charges nothing, when the user cannot pay", async () => {
    using mocks = mockBots({}, { cost: "insufficient" });
    const response = await createTestClient(new CostBot({ accessKey: KEY })).query("Hello", {
      bot_query_id: QUERY_ID,
    });
    expect(response.text).toBe("");
    expect(response.error).toEqual({
      allow_retry: false,
      error_type: "insufficient_fund",
      text: "This answer costs 0.5 cents, which is more than your balance. Add funds and send the message again.",
    });
    expect(response.done).toBe(true);
    expect(mocks.costCalls.map((call) => call.action)).toEqual(["authorize"]);
  });

  it("says why it cannot charge when the query has no bot_query_id", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new CostBot({ accessKey: KEY })).query("Hello");
    expect(response.error?.text).toMatch(
      /^Could not charge for this answer, so it was not written: .*bot_query_id/,
    );
    expect(response.done).toBe(true);
    expect(mocks.costCalls).toEqual([]);
  });

  it("says why it cannot charge when it has no access key", async () => {
    using mocks = mockBots({});
    const response = await createTestClient(new CostBot()).query("Hello", { bot_query_id: QUERY_ID });
    expect(response.error?.text).toMatch(/access key/);
    expect(response.error?.allow_retry).toBe(true);
    expect(mocks.costCalls).toEqual([]);
  });

  it("counts words and characters, and writes amounts in cents", () => {
    expect(describeMessage("  one  ")).toBe("Your message has 1 word and 3 characters.");
    expect(describeMessage("naïve café 🙂")).toBe("Your message has 3 words and 12 characters.");
    expect(describeMessage("")).toBe("Your message is empty.");
    expect(describeMessage(undefined)).toBe("Your message is empty.");
    expect(formatCents(1000)).toBe("1 cent");
    expect(formatCents(2500)).toBe("2.5 cents");
  });
});
