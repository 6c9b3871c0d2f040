import type { ToolDefinition } from "poekit";
import { describe, expect, it } from "vitest";
import {
  chooseToolCalls,
  fillArguments,
  fragments,
  meaningfulWords,
  parseToolCommands,
  placesIn,
  readControls,
  selectTools,
  wordChunks,
} from "./scripted-rules.js";

function tool(name: string, description: string, parameters: Record<string, unknown>): ToolDefinition {
  return {
    type: "function",
    function: { name, description, parameters: { type: "object", properties: {}, ...parameters } },
  };
}

const weather = tool("get_current_weather", "Looks up the current temperature in a city.", {
  type: "object",
  properties: {
    location: { type: "string" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
  },
  required: ["location"],
});
const stocks = tool("get_stock_price", "The latest price of a stock", {
  type: "object",
  properties: { symbol: { type: "string" }, days: { type: "integer" }, exact: { type: "boolean" } },
  required: ["symbol", "days", "exact"],
});

describe("readControls", () => {
  it("finds /error, /slow and /notool and takes them out of the text", () => {
    expect(readControls("/slow 50 hello /error there")).toEqual({
      text: "hello there",
      error: true,
      slowMs: 50,
      noTool: false,
    });
    expect(readControls("just /notool chat")).toMatchObject({
      text: "just chat",
      noTool: true,
      error: false,
    });
  });

  it("caps /slow at 2 s and ignores control words glued to other text", () => {
    expect(readControls("/slow 99999 hi").slowMs).toBe(2000);
    expect(readControls("my/error and /errors")).toMatchObject({
      error: false,
      text: "my/error and /errors",
    });
  });
});

describe("parseToolCommands", () => {
  it("reads one call per /tool line, with its arguments exactly as written", () => {
    expect(parseToolCommands('/tool get_weather {"city": "Paris"}\n  /tool now')).toEqual([
      { name: "get_weather", arguments: '{"city": "Paris"}' },
      { name: "now", arguments: "{}" },
    ]);
    expect(parseToolCommands("/tool broken {not json")).toEqual([{ name: "broken", arguments: "{not json" }]);
  });

  it("finds nothing in ordinary messages", () => {
    expect(parseToolCommands("use the /tool please")).toBeUndefined();
  });
});

describe("tool selection", () => {
  it("splits identifiers and drops short and stop words", () => {
    expect([...meaningfulWords("get_current_weather getStockPrices")]).toEqual(["weather", "stock", "price"]);
  });

  it("picks every tool sharing a word with the message, else the first", () => {
    expect(selectTools("What's the weather in Paris?", [stocks, weather])).toEqual([weather]);
    expect(selectTools("Weather and stock prices please", [stocks, weather])).toEqual([stocks, weather]);
    expect(selectTools("Hello there", [stocks, weather])).toEqual([stocks]);
    expect(selectTools("Hello", [])).toEqual([]);
  });
});

describe("placesIn", () => {
  it("takes capitalised phrases after in, for and at", () => {
    expect(placesIn("What's the weather in San Francisco?")).toEqual(["San Francisco"]);
    expect(placesIn("forecast for New York City, please")).toEqual(["New York City"]);
    expect(placesIn("Meet at St. Louis.")).toEqual(["St. Louis"]);
    expect(placesIn("what is in the box")).toEqual([]);
  });

  it("splits places at and / or / &, keeps a region after a comma, and skips excluded words", () => {
    expect(placesIn("Weather in Tokyo and Paris, France in Celsius", ["celsius"])).toEqual([
      "Tokyo",
      "Paris, France",
    ]);
    expect(placesIn("in Rome, Oslo or Lima & Quito")).toEqual(["Rome, Oslo", "Lima", "Quito"]);
  });
});

describe("fillArguments", () => {
  const parameters = weather.function.parameters as Record<string, unknown>;

  it("fills required strings from the place or the message, and optional enums only when mentioned", () => {
    expect(fillArguments(parameters, "Weather in Tokyo in FAHRENHEIT?", "Tokyo")).toEqual({
      location: "Tokyo",
      unit: "fahrenheit",
    });
    expect(fillArguments(parameters, "Weather?", undefined)).toEqual({ location: "Weather?" });
  });

  it("uses the first enum value for a required enum nobody mentioned", () => {
    const required = { ...parameters, required: ["location", "unit"] };
    expect(fillArguments(required, "Weather in Oslo", "Oslo")).toEqual({ location: "Oslo", unit: "celsius" });
  });

  it("fills numbers, integers, booleans, arrays and objects; reads nullable unions", () => {
    const schema = {
      type: "object",
      properties: {
        count: { type: "integer" },
        ratio: { type: ["number", "null"] },
        flag: { type: "boolean" },
        tags: { type: "array" },
        extra: { type: "object" },
        note: { anyOf: [{ type: "null" }, { type: "string" }] },
        skipped: { type: "number" },
      },
      required: ["count", "ratio", "flag", "tags", "extra", "note"],
    };
    expect(fillArguments(schema, "take 3.75 of them", undefined)).toEqual({
      count: 3,
      ratio: 3.75,
      flag: false,
      tags: [],
      extra: {},
      note: "take 3.75 of them",
    });
    expect(fillArguments(schema, "none", undefined)).toMatchObject({ count: 0, ratio: 0 });
  });
});

describe("chooseToolCalls", () => {
  it("calls a place-taking tool once per place, in order", () => {
    expect(chooseToolCalls("What's the weather in Tokyo and Paris in celsius?", [weather])).toEqual([
      { name: "get_current_weather", arguments: '{"location":"Tokyo","unit":"celsius"}' },
      { name: "get_current_weather", arguments: '{"location":"Paris","unit":"celsius"}' },
    ]);
  });

  it("fills other tools from the message", () => {
    expect(chooseToolCalls("stock price for 5 days", [stocks])).toEqual([
      { name: "get_stock_price", arguments: '{"symbol":"stock price for 5 days","days":5,"exact":false}' },
    ]);
  });
});

describe("chunking", () => {
  it("splits text into word chunks that join back exactly", () => {
    const text = '  You said: "hi there".\nBye ';
    expect(wordChunks(text)).toEqual(["  You ", "said: ", '"hi ', 'there".\n', "Bye "]);
    expect(wordChunks(text).join("")).toBe(text);
    expect(wordChunks("")).toEqual([""]);
  });

  it("splits arguments by characters, never inside a surrogate pair", () => {
    expect(fragments('{"a":1}', 3)).toEqual(['{"a', '":1', "}"]);
    expect(fragments("😀😀😀", 2)).toEqual(["😀😀", "😀"]);
    expect(fragments("", 4)).toEqual([""]);
  });
});
