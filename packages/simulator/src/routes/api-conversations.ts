import { Hono } from "hono";
import { z } from "zod";
import type { SimulatorContext } from "../context.js";
import {
  clearContext,
  createConversation,
  deleteConversation,
  getConversation,
  sendMessage,
} from "../conversation/conversations.js";
import { withFreshUrls } from "./fresh-urls.js";
import { readJson } from "./read-json.js";

const NewConversation = z.strictObject({
  botName: z.string().min(1).max(64),
  title: z.string().max(200).optional(),
});
const NewMessage = z.strictObject({
  text: z.string().max(100_000),
  attachments: z.array(z.string().max(64)).max(20).default([]),
  parameters: z.record(z.string(), z.unknown()).default({}),
});

/** `/api/conversations`: the conversations and what the user sends in them. */
export function apiConversationRoutes(context: SimulatorContext): Hono {
  const app = new Hono();

  app.get("/", (c) => c.json(context.store.conversations.list()));

  app.post("/", async (c) => {
    const { botName, title } = await readJson(c, NewConversation);
    return c.json(createConversation(context, botName, title), 201);
  });

  app.get("/:id", (c) => {
    const conversation = getConversation(context, c.req.param("id"));
    const messages = context.store.messages
      .listByConversation(conversation.id)
      .map((m) => withFreshUrls(context, m));
    return c.json({ conversation, messages });
  });

  app.delete("/:id", (c) => {
    deleteConversation(context, c.req.param("id"));
    return c.body(null, 204);
  });

  app.post("/:id/clear", (c) => c.json(clearContext(context, c.req.param("id"))));

  app.post("/:id/messages", async (c) => {
    const input = await readJson(c, NewMessage);
    const { userMessage, botMessages } = sendMessage(context, c.req.param("id"), input);
    return c.json({ userMessage: withFreshUrls(context, userMessage), botMessages }, 202);
  });

  return app;
}
