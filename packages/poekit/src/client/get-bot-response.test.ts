import { describe, expect, it } from "vitest";
import { type BotMessage, getBotResponse, PartialResponse } from "../index.js";

const API_KEY = "k".repeat(32);
const BASE_URL = "http://upstream.test/bot/";

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Calls getBotResponse against a fetch that records the request and answers "ok". */
async function send(options: Partial<Parameters<typeof getBotResponse>[0]> = {}) {
  const sent: Sent[] = [];
  const fetch = async (input: unknown, init?: RequestInit) => {
    sent.push({
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers)),
      body: JSON.parse(String(init?.body)),
    });
    return new Response('event: text\ndata: {"text":"ok"}\n\nevent: done\ndata: {}\n\n', {
      headers: { "content-type": "text/event-stream" },
    });
  };
  const received: BotMessage[] = [];
  for await (const message of getBotResponse({
    messages: ["Hi"],
    botName: "Some Bot",
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    fetch,
    ...options,
  })) {
    received.push(message);
  }
  expect(sent).toHaveLength(1);
  return { sent: sent[0] as Sent, received };
}

/** A message as it goes on the wire: what was given, and the protocol's defaults for the rest. */
function wireMessage(role: string, content: string) {
  return {
    role,
    content,
    message_type: null,
    sender_id: null,
    sender: null,
    parameters: {},
    content_type: "text/markdown",
    timestamp: 0,
    message_id: "",
    feedback: [],
    attachments: [],
    metadata: null,
    referenced_message: null,
    reactions: [],
  };
}

/** Every field of the query, as getBotResponse sends it when given no query option. */
const DEFAULT_BODY = {
  version: "1.2",
  type: "query",
  query: [wireMessage("user", "Hi")],
  user_id: "",
  conversation_id: "",
  message_id: "",
  metadata: "",
  // The key travels in the Authorization header only.
  api_key: "<missing>",
  access_key: "<missing>",
  temperature: null,
  skip_system_prompt: false,
  logit_bias: {},
  stop_sequences: [],
  language_code: "en",
  adopt_current_bot_name: null,
  bot_query_id: "",
  users: [],
  tools: null,
  tool_calls: null,
  tool_results: null,
  query_creation_time: null,
  extra_params: null,
};

describe("getBotResponse on the wire", () => {
  it("POSTs every field of a query to {baseUrl}{botName}, the key only in Authorization", async () => {
    const { sent, received } = await send();
    expect(sent.url).toBe(`${BASE_URL}Some%20Bot`);
    expect(sent.headers).toEqual({
      accept: "text/event-stream",
      authorization: `Bearer ${API_KEY}`,
      "cache-control": "no-store",
      "content-type": "application/json",
    });
    expect(sent.body).toEqual(DEFAULT_BODY);
    expect(JSON.stringify(sent.body)).not.toContain(API_KEY);
    expect(received.map((message) => (message instanceof PartialResponse ? message.text : message))).toEqual([
      "ok",
    ]);
  });

  it("maps each query option to its protocol field", async () => {
    const { sent } = await send({
      temperature: 0.25,
      skipSystemPrompt: true,
      adoptCurrentBotName: false,
      logitBias: { "1234": -100 },
      stopSequences: ["END", "\n\n"],
    });
    expect(sent.body).toEqual({
      ...DEFAULT_BODY,
      temperature: 0.25,
      skip_system_prompt: true,
      adopt_current_bot_name: false,
      logit_bias: { "1234": -100 },
      stop_sequences: ["END", "\n\n"],
    });
  });

  it("sends strings as user messages and message objects as given, in order", async () => {
    const { sent } = await send({
      messages: [
        { role: "system", content: "Be brief." },
        "Hi",
        { role: "bot", content: "Hello!", content_type: "text/plain" },
        "How are you?",
      ],
    });
    expect(sent.body.query).toEqual([
      wireMessage("system", "Be brief."),
      wireMessage("user", "Hi"),
      { ...wireMessage("bot", "Hello!"), content_type: "text/plain" },
      wireMessage("user", "How are you?"),
    ]);
  });

  it("passes streamRequest's options on: headers win over its own", async () => {
    const { sent } = await send({ headers: { "x-trace": "t-1", "cache-control": "max-age=0" } });
    expect(sent.headers["x-trace"]).toBe("t-1");
    expect(sent.headers["cache-control"]).toBe("max-age=0");
  });
});
