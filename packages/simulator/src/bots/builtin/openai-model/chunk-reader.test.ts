import type { BotResponseItem } from "poekit";
import { describe, expect, it } from "vitest";
import { ChunkReader } from "./chunk-reader.js";

const ENDPOINT = "http://models.test/v1/chat/completions";

function sse(...lines: string[]): ReadableStream<Uint8Array> {
  return new Response(lines.map((line) => `data: ${line}\n\n`).join("")).body as ReadableStream<Uint8Array>;
}

async function read(items: AsyncIterable<BotResponseItem>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of items) out.push(JSON.parse(JSON.stringify(item)));
  return out;
}

describe("ChunkReader", () => {
  it("streams text up to [DONE] and ignores what follows", async () => {
    const reader = new ChunkReader(ENDPOINT);
    const items = await read(
      reader.stream(
        sse(
          JSON.stringify({ choices: [{ delta: { content: "Hi" } }] }),
          JSON.stringify({ choices: [] }),
          "[DONE]",
          JSON.stringify({ choices: [{ delta: { content: "late" } }] }),
        ),
      ),
    );
    expect(items).toEqual([expect.objectContaining({ text: "Hi" })]);
    expect(reader.deliveredAnything).toBe(true);
  });

  it("closes tool calls with one finish_reason chunk, even when the server sent none", async () => {
    const reader = new ChunkReader(ENDPOINT);
    const call = { id: "a", function: { name: "w", arguments: "{}" } };
    const items = await read(
      reader.stream(sse(JSON.stringify({ choices: [{ delta: { tool_calls: [call] } }] }))),
    );
    expect(items.at(-1)).toEqual({
      event: "json",
      data: { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
    });
    expect(items).toHaveLength(2);
  });

  it("answers an error event naming the endpoint for an error completion", async () => {
    const reader = new ChunkReader(ENDPOINT);
    const items = await read(reader.completion(JSON.stringify({ error: { message: "no such model" } })));
    expect(items).toEqual([
      expect.objectContaining({
        text: `The model endpoint ${ENDPOINT} reported an error: no such model`,
        allow_retry: true,
      }),
    ]);
    expect(reader.deliveredAnything).toBe(false);
  });
});
