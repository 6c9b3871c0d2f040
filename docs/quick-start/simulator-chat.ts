interface Message {
  role: string;
  status: string;
  content: string;
}

/**
 * Says `text` in the simulator's conversation at `chatUrl` (the address poekit dev prints), as the chat
 * page does, and resolves with the bot's answer once it is complete.
 * @example
 * await sayInChat("http://127.0.0.1:7777/#/c/c-abc", "Hello", 30_000); // "olleH"
 */
export async function sayInChat(chatUrl: string, text: string, timeoutMs: number): Promise<string> {
  const [, base, id] = /^(http:\/\/[^/]+)\/#\/c\/([\w-]+)$/.exec(chatUrl) ?? [];
  if (!base || !id) throw new Error(`${chatUrl} is not the address of a conversation in the simulator.`);
  const conversation = `${base}/api/conversations/${id}`;
  const answersBefore = (await messages(conversation)).filter((message) => message.role === "bot").length;
  const sent = await fetch(`${conversation}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  if (sent.status !== 202) throw new Error(`The simulator answered ${sent.status}: ${await sent.text()}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = (await messages(conversation)).filter((message) => message.role === "bot")[answersBefore];
    if (answer?.status === "complete") return answer.content;
    if (answer?.status === "error") throw new Error(`The bot answered with an error: ${answer.content}`);
    if (Date.now() > deadline) throw new Error(`No answer to "${text}" within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function messages(conversation: string): Promise<Message[]> {
  const response = await fetch(conversation);
  return ((await response.json()) as { messages: Message[] }).messages;
}
