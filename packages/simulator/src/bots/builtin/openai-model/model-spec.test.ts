import { PoeConfigError } from "poekit";
import { describe, expect, it } from "vitest";
import { chatCompletionsUrl, parseModelSpec } from "./model-spec.js";

describe("parseModelSpec", () => {
  it("reads NAME=URL#MODEL", () => {
    expect(parseModelSpec("Llama=http://localhost:11434/v1#llama3.2:8b")).toEqual({
      name: "Llama",
      baseUrl: "http://localhost:11434/v1",
      model: "llama3.2:8b",
    });
    expect(parseModelSpec("Org=https://api.example.com/v1/chat/completions#org/model-7b").model).toBe(
      "org/model-7b",
    );
  });

  it.each([
    ["Llama", /no "="/],
    ["Llama=http://localhost:11434/v1", /names no model/],
    ["=http://localhost/v1#m", /has the name ""/],
    ["my bot=http://localhost/v1#m", /has the name "my bot"/],
    ["Llama=http://localhost/v1#", /empty model/],
    ["Llama=localhost:11434#m", /only http:\/\/ and https:\/\//],
    ["Llama=not a url#m", /not a URL/],
  ])("explains what is wrong with %s", (spec, message) => {
    expect(() => parseModelSpec(spec)).toThrow(PoeConfigError);
    expect(() => parseModelSpec(spec)).toThrow(message);
  });
});

describe("chatCompletionsUrl", () => {
  it("adds /chat/completions to a base URL once, keeping a query string", () => {
    expect(chatCompletionsUrl("http://localhost:11434/v1/", "M")).toBe(
      "http://localhost:11434/v1/chat/completions",
    );
    expect(chatCompletionsUrl("https://x.test/v1/chat/completions", "M")).toBe(
      "https://x.test/v1/chat/completions",
    );
    expect(chatCompletionsUrl("https://x.test/openai?api-version=1", "M")).toBe(
      "https://x.test/openai/chat/completions?api-version=1",
    );
  });
});
