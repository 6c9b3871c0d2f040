import { ParameterControlsSchema } from "poekit/protocol";
import { createTestClient } from "poekit/testing";
import { describe, expect, it } from "vitest";
import bot, { PARAMETER_CONTROLS, ParametersBot, readChoices, restyle } from "./index.js";

/** Every control of the form, those in tabs and under conditions included. */
function allControls() {
  return PARAMETER_CONTROLS.sections.flatMap((section) =>
    [...(section.controls ?? []), ...(section.tabs ?? []).flatMap((tab) => tab.controls)].flatMap(
      (control) => (control.control === "condition" ? control.controls : [control]),
    ),
  );
}

describe("parameters", () => {
  it("default-exports the bot", () => {
    expect(bot).toBeInstanceOf(ParametersBot);
  });

  it("sends a valid form in its settings: a slider, a drop-down, toggles and a text field", async () => {
    const settings = await createTestClient(new ParametersBot()).settings();
    expect(settings.parameter_controls).toEqual(PARAMETER_CONTROLS);
    expect(ParameterControlsSchema.safeParse(settings.parameter_controls).success).toBe(true);
    expect(allControls().map((control) => control.control)).toEqual([
      "drop_down",
      "toggle_switch",
      "slider",
      "toggle_switch",
      "text_field",
    ]);
    const [text, decoration] = PARAMETER_CONTROLS.sections;
    expect(text?.controls).toHaveLength(2);
    expect(decoration?.tabs?.map((tab) => tab.name)).toEqual(["Emphasis", "Signature"]);
  });

  it("answers with the defaults when the message has no parameters", async () => {
    const response = await createTestClient(new ParametersBot()).query("hello there");
    expect(response.text).toBe("hello there!");
  });

  it("follows the values chosen in the user's message", async () => {
    const response = await createTestClient(new ParametersBot()).query([
      {
        role: "user",
        content: "  hello   there  ",
        parameters: {
          letter_case: "upper",
          reverse_words: true,
          exclamation_marks: 3,
          sign: true,
          signature: " Ada ",
        },
      },
    ]);
    expect(response.text).toBe("THERE HELLO!!!\n\n— Ada");
  });

  it("reads the latest user message's values, not an older one's", async () => {
    const response = await createTestClient(new ParametersBot()).query([
      { role: "user", content: "first", parameters: { letter_case: "upper" } },
      { role: "bot", content: "FIRST!" },
      { role: "user", content: "Second", parameters: { letter_case: "lower", exclamation_marks: 0 } },
    ]);
    expect(response.text).toBe("second");
  });

  it("takes the defaults for missing or wrong values, and keeps the slider in its range", () => {
    expect(readChoices({})).toEqual({
      letterCase: "keep",
      reverseWords: false,
      exclamationMarks: 1,
      signature: null,
    });
    expect(
      readChoices({ letter_case: "shout", reverse_words: "yes", exclamation_marks: "2", signature: "Ada" }),
    ).toEqual({ letterCase: "keep", reverseWords: false, exclamationMarks: 1, signature: null });
    expect(readChoices({ exclamation_marks: 9 }).exclamationMarks).toBe(5);
    expect(readChoices({ exclamation_marks: -1 }).exclamationMarks).toBe(0);
    expect(readChoices({ exclamation_marks: 2.6 }).exclamationMarks).toBe(3);
    expect(readChoices({ sign: true, signature: "   " }).signature).toBeNull();
  });

  it("has defaults in the form that match the bot's own", () => {
    const defaults = Object.fromEntries(
      allControls().map((control) => [
        "parameter_name" in control ? control.parameter_name : "",
        "default_value" in control ? control.default_value : undefined,
      ]),
    );
    const choices = readChoices(defaults);
    expect(choices).toEqual(readChoices({}));
  });

  it("restyles text", () => {
    const plain = { letterCase: "keep", reverseWords: false, exclamationMarks: 0, signature: null } as const;
    expect(restyle("Hi", plain)).toBe("Hi");
    expect(restyle("a b c", { ...plain, reverseWords: true, letterCase: "upper" })).toBe("C B A");
  });

  it("invites the user when there is nothing to restyle", async () => {
    const client = createTestClient(new ParametersBot());
    for (const input of ["", "   "]) {
      expect((await client.query(input)).text).toMatch(/^Send me some text/);
    }
    expect((await client.query([])).text).toMatch(/^Send me some text/);
    expect((await client.query([{ role: "narrator", content: "hello" }])).text).toMatch(/^Send me some text/);
  });
});
