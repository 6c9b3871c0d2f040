import type { WholeAnswer } from "./answer.js";

/**
 * The page a browser sees at a bot's path: the server runs, and how to connect it to Poe.
 * No secret and nothing from the request is shown, so nothing needs escaping but the path.
 */
export function indexPage(path: string, botName: string | null): WholeAnswer {
  const name = botName ? ` for ${escapeHtml(botName)}` : "";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>poekit bot server</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Your Poe bot server${name} is running</h1>
<p>This path (<code>${escapeHtml(path)}</code>) answers Poe's requests with <code>POST</code>.</p>
<p>To connect it, create a server bot at <a href="https://poe.com/create_bot?server=1">poe.com/create_bot</a>
and give it this server's public URL, including the path, and the same access key the server uses.</p>
</body>
</html>
`;
  return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: html };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
