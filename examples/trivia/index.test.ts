import type { ProtocolMessageInit } from "poekit";
import { ProtocolMessageSchema } from "poekit/protocol";
import { createTestClient, type TestResponse } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { isCorrect, QUESTIONS, readState, TriviaBot, TriviaStateSchema } from "./index.js";

/**
 * A chat as Poe keeps it: each user message is sent with the history, and the bot's answer is stored
 * with the metadata of its last `data` event.
 */
function chat() {
  const client = createTestClient(new TriviaBot());
  const history: ProtocolMessageInit[] = [];
  return {
    history,
    async say(text: string): Promise<TestResponse> {
      history.push({ role: "user", content: text });
      const response = await client.query(history);
      expect(response.done).toBe(true);
      history.push({ role: "bot", content: response.text, metadata: response.data });
      return response;
    },
  };
}

const [first, second] = QUESTIONS;

describe("trivia", () => {
  it("default-exports a trivia bot", () => {
    expect(bot).toBeInstanceOf(TriviaBot);
  });

  it("introduces itself through its settings", async () => {
    const settings = await createTestClient(new TriviaBot()).settings();
    expect(settings.introduction_message).toContain("Trivia");
    expect(settings.introduction_message).toContain(`${QUESTIONS.length} questions`);
  });

  it("starts with the first question and keeps the game's state in a data event", async () => {
    const response = await chat().say("hello");
    expect(response.text).toContain(`Question 1 of ${QUESTIONS.length}:** ${first?.question}`);
    expect(response.suggestedReplies).toEqual(["skip"]);
    expect(JSON.parse(response.data ?? "")).toEqual({ pending: 0, score: 0 });
  });

  it("checks each reply, moves on, and counts the score", async () => {
    const game = chat();
    await game.say("let's go");
    const right = await game.say("It's jupiter, surely!");
    expect(right.text).toMatch(/^Correct!/);
    expect(right.text).toContain(second?.question);
    expect(JSON.parse(right.data ?? "")).toEqual({ pending: 1, score: 1 });

    const wrong = await game.say("six");
    expect(wrong.text).toMatch(/^Not quite: the answer was \*\*8\*\*\./);
    expect(JSON.parse(wrong.data ?? "")).toEqual({ pending: 2, score: 1 });

    const skipped = await game.say("Skip");
    expect(skipped.text).toMatch(/^Skipped: the answer was \*\*Au\*\*\./);
    expect(JSON.parse(skipped.data ?? "")).toEqual({ pending: 3, score: 1 });

    await game.say("Canberra");
    const last = await game.say("1969");
    expect(last.text).toContain(`Game over: you scored 3 out of ${QUESTIONS.length}.`);
    expect(last.suggestedReplies).toEqual(["Play again"]);
    expect(JSON.parse(last.data ?? "")).toEqual({ pending: null, score: 0 });

    const again = await game.say("Play again");
    expect(again.text).toContain("Question 1 of");
  });

  it("reads its state from the latest of its own answers that carries one", () => {
    expect(readState([])).toEqual({ pending: null, score: 0 });
    const parsed = TriviaStateSchema.parse({ pending: 2, score: 1 });
    const answer = (metadata: string | null) =>
      ProtocolMessageSchema.parse({ role: "bot", content: "…", metadata });
    expect(readState([answer(JSON.stringify(parsed)), answer(null)])).toEqual(parsed);
    expect(readState([answer(JSON.stringify(parsed)), answer("not json")])).toEqual(parsed);
    expect(readState([answer(JSON.stringify({ pending: 99, score: 0 }))])).toEqual({
      pending: null,
      score: 0,
    });
  });

  it("starts over when the state is missing or not its own", async () => {
    const client = createTestClient(new TriviaBot());
    const response = await client.query([
      { role: "user", content: "hi" },
      { role: "bot", content: "Question 3…", metadata: '{"pending":"three"}' },
      { role: "user", content: "Au" },
    ]);
    expect(response.text).toContain("Question 1 of");
    expect(JSON.parse(response.data ?? "")).toEqual({ pending: 0, score: 0 });
  });

  it("answers an empty chat, and a reply from an unknown role, without failing", async () => {
    const client = createTestClient(new TriviaBot());
    expect((await client.query([])).text).toContain("Question 1 of");
    const response = await client.query([
      { role: "bot", content: "Question 1…", metadata: JSON.stringify({ pending: 0, score: 0 }) },
      { role: "narrator", content: "Jupiter" },
    ]);
    expect(response.error).toBeNull();
    expect(response.text).toMatch(/^Not quite/);
  });

  it("accepts an answer as whole words, in any case and with accents or punctuation", () => {
    const planet = QUESTIONS[0];
    const legs = QUESTIONS[1];
    if (!planet || !legs) throw new Error("the quiz is too short");
    expect(isCorrect(planet, "JUPITER.")).toBe(true);
    expect(isCorrect(planet, "Jupitér")).toBe(true);
    expect(isCorrect(planet, "Saturn")).toBe(false);
    expect(isCorrect(legs, "eight legs")).toBe(true);
    expect(isCorrect(legs, "18")).toBe(false);
  });
});
