import { MetaResponse, PoeBot, type QueryRequest, type RequestContext } from "poekit";

/**
 * What a request's URL says, as plain text: the whole URL, its path, and each query parameter in
 * order (a name given twice is listed twice).
 * @example
 * describeUrl(new URL("https://bots.example/cat?lang=en"));
 * // "URL: https://bots.example/cat?lang=en\nPath: /cat\nQuery parameters (1):\n  lang = en"
 */
export function describeUrl(url: URL): string {
  const lines = [`URL: ${url.href}`, `Path: ${url.pathname}`];
  const parameters = [...url.searchParams];
  if (parameters.length === 0) {
    lines.push("Query parameters: none. Add some to the bot's server URL (e.g. ?lang=en) and ask again.");
  } else {
    lines.push(`Query parameters (${parameters.length}):`);
    for (const [name, value] of parameters) lines.push(`  ${name} = ${value}`);
  }
  return lines.join("\n");
}

/**
 * Shows the HTTP request behind the query: `getResponseWithContext` receives the web `Request` as
 * `context.request`. One server can thus serve several Poe bots that differ only in their URL's
 * query parameters.
 * @example
 * await run(new HttpRequestBot(), { allowWithoutKey: true }); // then POST to /?lang=en
 */
export class HttpRequestBot extends PoeBot {
  override async *getResponseWithContext(_request: QueryRequest, context: RequestContext) {
    // Plain text: URLs and parameters are shown as they are, never read as Markdown.
    yield new MetaResponse({ content_type: "text/plain", suggested_replies: false });
    yield `${context.request.method} request received.\n`;
    yield describeUrl(new URL(context.request.url));
  }
}

export default new HttpRequestBot();
