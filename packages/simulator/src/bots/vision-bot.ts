import type { SimulatorContext } from "../context.js";
import { applyEvent, createAnswer } from "../query/answer-state.js";
import { queryRequestBody } from "../query/query-request.js";
import { runExchange } from "../query/run-exchange.js";

const PROMPT =
  "Describe this image for someone who cannot see it: what it shows, any text in it, and anything notable. Answer with the description only.";

/** A description takes at most this long; past it, the metadata description is used. */
const DESCRIBE_TIMEOUT_MS = 60_000;

/**
 * Asks `botName` (a model with vision, registered or configured with `--model`) to describe an image,
 * as Poe does for bots with `enable_image_comprehension`. Resolves null when the bot fails, so the
 * caller falls back to the metadata description.
 *
 * @example
 * const text = await describeImageWithBot(context, "GPT-4o", { url, name: "cat.png", contentType: "image/png" });
 */
export async function describeImageWithBot(
  context: SimulatorContext,
  botName: string,
  image: { url: string; name: string; contentType: string },
): Promise<string | null> {
  const target = context.registry.target(botName);
  if (!target) return null;
  const answer = createAnswer();
  const outcome = await runExchange({
    target,
    body: queryRequestBody({
      query: [
        {
          role: "user",
          content: PROMPT,
          attachments: [{ url: image.url, content_type: image.contentType, name: image.name }],
        },
      ],
    }),
    observer: { onEvent: (event) => applyEvent(answer, event) },
    limits: { totalMs: DESCRIBE_TIMEOUT_MS },
    signal: context.tasks.signal,
  });
  const text = answer.content.trim();
  return outcome.completed && !answer.error && text ? text : null;
}
