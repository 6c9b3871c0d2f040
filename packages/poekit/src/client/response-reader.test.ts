import { describe, expect, it } from "vitest";
import { PartialResponse, textResponse } from "../core/responses.js";
import { plainText, ResponseReader } from "./response-reader.js";

const reader = () => new ResponseReader({ botName: "b", messageId: "m", toolsSent: false });

describe("textResponse", () => {
  it("makes what the constructor makes: same prototype, fields, order and values", () => {
    const data = { text: "Hi", index: 2 };
    const made = textResponse(data, true, false);
    const constructed = new PartialResponse({
      text: "Hi",
      raw_response: data,
      is_replace_response: true,
      is_suggested_reply: false,
      index: 2,
    });
    expect(made).toStrictEqual(constructed);
    expect(Object.keys(made)).toEqual(Object.keys(constructed));
    expect(made.constructor).toBe(PartialResponse);
    expect(made.tool_calls).not.toBe(textResponse(data, true, false).tool_calls);
  });
});

describe("plainText", () => {
  it.each([
    '{"text":"Hello"}',
    '{"text": "Hello"}',
    '{"text":""}',
    '{"text":"日本語 😀 café"}',
    '{"text":"\u007f\u2028"}',
  ])("reads %s as JSON.parse does", (data) => {
    expect(plainText(data)).toBe(JSON.parse(data).text);
  });

  it.each([
    '{"text":"a\\nb"}',
    '{"text":"say \\"hi\\""}',
    '{"text":"a","index":1}',
    '{"text":"a","b":"c"}',
    '{"text":"tab\there"}',
    '{"text":"}',
    '{"text":"a"} ',
    ' {"text":"a"}',
    '{"txt":"a"}',
    '{"text":1}',
    '"}',
    "",
  ])("leaves %s to JSON.parse", (data) => {
    expect(plainText(data)).toBeUndefined();
  });

  it("gives the same message either way", () => {
    const plain = reader().read({ event: "text", data: '{"text":"Hi"}' });
    const parsed = reader().read({ event: "text", data: '{"index":null,"text":"Hi"}' });
    expect(plain).toBeInstanceOf(PartialResponse);
    expect({ ...(plain as PartialResponse), raw_response: undefined }).toStrictEqual({
      ...(parsed as PartialResponse),
      raw_response: undefined,
    });
    expect((plain as PartialResponse).raw_response).toStrictEqual({ text: "Hi" });
  });

  it("still finds raw control characters fatal", () => {
    expect(reader().read({ event: "text", data: '{"text":"tab\there"}' })).toMatchObject({ type: "fatal" });
  });
});
