// The chat page in Chromium, as a user first meets it: clicking a bot to write to it, the parameter form,
// reactions, and an answer the bot replaces while it streams.
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import {
  type ParameterControls,
  PartialResponse,
  type QueryRequest,
  type ReportReactionRequest,
} from "poekit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "./start.js";
import {
  buildPageIfMissing,
  ChatPageDriver,
  closePage,
  focusedTestId,
  inProcessBot,
  openChatPage,
  ScriptBot,
} from "./test-support/chat-page.js";
import { browserTestsEnabled, launchChromium } from "./test-support/chromium.js";

const CONTROLS: ParameterControls = {
  api_version: "2",
  sections: [
    {
      name: "Style",
      controls: [
        {
          control: "drop_down",
          label: "Tone",
          parameter_name: "tone",
          default_value: "plain",
          options: [
            { value: "plain", name: "Plain" },
            { value: "pirate", name: "Pirate" },
          ],
        },
        { control: "toggle_switch", label: "Shout", parameter_name: "shout", default_value: false },
      ],
    },
  ],
};

/** The query requests the bots received, by bot. */
const queries = new Map<string, QueryRequest[]>();
const reactions: ReportReactionRequest[] = [];
/** Holds the Replacer's answer between its draft and its replacement until the test lets it go. */
let releaseReplacement = () => {};

function recording(name: string, text: (request: QueryRequest) => string) {
  return inProcessBot(
    name,
    new ScriptBot(async function* (request) {
      queries.set(name, [...(queries.get(name) ?? []), request]);
      yield new PartialResponse({ text: text(request) });
    }),
  );
}

function lastUserMessage(request: QueryRequest | undefined) {
  return request?.query.at(-1);
}

describe.runIf(browserTestsEnabled())("the chat page's first steps in Chromium", { timeout: 60_000 }, () => {
  let browser: Browser;
  let sim: RunningSimulator;
  let page: Page;
  let ui: ChatPageDriver;

  beforeAll(async () => {
    await buildPageIfMissing();
    sim = await startSimulator({
      port: 0,
      db: path.join(tmpdir(), `poekit-first-steps-${process.pid}.db`),
      inProcessBots: [
        recording("Newcomer", (request) => `Newcomer heard: ${lastUserMessage(request)?.content}`),
        recording("Other", () => "Other here."),
        inProcessBot(
          "Tuner",
          new ScriptBot(
            async function* (request) {
              queries.set("Tuner", [...(queries.get("Tuner") ?? []), request]);
              yield new PartialResponse({
                text: `parameters: ${JSON.stringify(lastUserMessage(request)?.parameters)}`,
              });
            },
            { settings: { parameter_controls: CONTROLS } },
          ),
        ),
        inProcessBot(
          "Reacted",
          new ScriptBot(
            async function* () {
              yield new PartialResponse({ text: "React to me." });
            },
            { onReaction: (request) => reactions.push(request) },
          ),
        ),
        inProcessBot(
          "Replacer",
          new ScriptBot(async function* () {
            const released = new Promise<void>((resolve) => {
              releaseReplacement = resolve;
            });
            yield new PartialResponse({ text: "A first draft that will not stay." });
            await released;
            yield new PartialResponse({ text: "The final answer.", is_replace_response: true });
          }),
        ),
      ],
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    releaseReplacement();
    await browser?.close();
    await sim?.close();
  });

  beforeEach(async () => {
    page = await openChatPage(browser, sim.url);
    ui = new ChatPageDriver(page);
  });

  afterEach((context) => closePage(page, context));

  /** Types as a user does, into whatever has the focus: nothing lands unless the composer has it. */
  async function typeAndEnter(text: string): Promise<void> {
    await expect.poll(() => focusedTestId(page)).toBe("composer-input");
    await page.keyboard.type(text);
    await page.keyboard.press("Enter");
  }

  const conversationsWith = (botName: string) =>
    page.locator(`[data-testid=conversation-item][data-bot-name="${botName}"]`);

  it("clicking a bot opens a conversation with it, new or its latest, ready to write in", async () => {
    // A bot never written to: a click starts a conversation with it.
    const first = await ui.chatWith("Newcomer");
    expect(await conversationsWith("Newcomer").count()).toBe(1);
    await typeAndEnter("hello at once");
    await expect
      .poll(() => ui.finishedAnswers().last().getByTestId("message-content").textContent())
      .toContain("Newcomer heard: hello at once");
    await ui.shot("first-minute");

    // Back from another bot: its latest conversation, with what was said there, not a new one.
    await ui.chatWith("Other");
    expect(await ui.openConversationId()).not.toBe(first);
    expect(await ui.chatWith("Newcomer")).toBe(first);
    expect(await conversationsWith("Newcomer").count()).toBe(1);
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    await typeAndEnter("and again");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(2);
    expect(queries.get("Newcomer")?.map((request) => lastUserMessage(request)?.content)).toEqual([
      "hello at once",
      "and again",
    ]);

    // With two conversations, the newer one opens.
    const second = await ui.startChat("Newcomer");
    await ui.chatWith("Other");
    expect(await ui.chatWith("Newcomer")).toBe(second);
    await expect.poll(() => focusedTestId(page)).toBe("composer-input");
  });

  it("renders a bot's parameter controls and sends a changed value in the next query", async () => {
    await ui.startChat("Tuner");
    const form = page.getByTestId("parameter-form");
    await expect.poll(() => form.getByTestId("parameter-control").count()).toBe(2);
    const tone = form.locator("[data-testid=parameter-control][data-parameter-name=tone] select");
    expect(await tone.inputValue()).toBe("plain");

    await ui.send("with the defaults");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    await tone.selectOption("pirate");
    await form.getByRole("switch", { name: "Shout" }).check();
    await ui.send("with my choices");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(2);

    const sent = (queries.get("Tuner") ?? []).map((request) => lastUserMessage(request)?.parameters);
    expect(sent).toEqual([
      { tone: "plain", shout: false },
      { tone: "pirate", shout: true },
    ]);
    expect(await ui.finishedAnswers().last().getByTestId("message-content").textContent()).toContain(
      '"tone":"pirate"',
    );
    await ui.shot("parameter-form");
  });

  it("sends a reaction to the bot as report_reaction and shows it on the answer", async () => {
    await ui.startChat("Reacted");
    await ui.send("Here goes");
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    const answer = ui.finishedAnswers().last();
    const answerId = await answer.getAttribute("data-message-id");
    const heart = answer.locator("[data-testid=reaction-button][data-reaction='❤️']");
    expect(await heart.getAttribute("aria-pressed")).toBe("false");

    await heart.click();
    await expect.poll(() => heart.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => reactions.map((request) => request.reaction)).toEqual(["❤️"]);
    expect(reactions[0]?.type).toBe("report_reaction");
    expect(reactions[0]?.message_id).toBe(answerId);
    // Kept by the simulator: a page opened afterwards shows it too.
    await page.reload();
    await page.getByText("Live", { exact: true }).waitFor();
    await expect
      .poll(() =>
        page
          .locator(`[data-message-id="${answerId}"] [data-testid=reaction-button][data-reaction='❤️']`)
          .getAttribute("aria-pressed"),
      )
      .toBe("true");
    await ui.shot("reaction");
  });

  it("shows only the replacement of an answer the bot replaced", async () => {
    await ui.startChat("Replacer");
    await ui.send("Draft, then replace");
    const content = ui.botMessages().last().getByTestId("message-content");
    await expect.poll(() => content.textContent()).toContain("A first draft");
    releaseReplacement();
    await expect.poll(() => ui.finishedAnswers().count()).toBe(1);
    expect((await content.textContent())?.trim()).toBe("The final answer.");
    // As stored: the conversation loaded again shows the same.
    await page.reload();
    await page.getByText("Live", { exact: true }).waitFor();
    await expect
      .poll(async () =>
        (await ui.finishedAnswers().last().getByTestId("message-content").textContent())?.trim(),
      )
      .toBe("The final answer.");
    await ui.shot("replaced-answer");
  });
});
