/**
 * Markdown to HTML for bot answers, without the DOM: GFM via `marked`, inline file references resolved, and
 * the URL policy the sanitiser (`sanitize.ts`) applies. The HTML made here is unsafe until sanitised.
 */
import { Marked } from "marked";
import type { MessageFile } from "../../src/model.ts";

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** CommonMark's label matching: case-insensitive, runs of whitespace collapsed, ends trimmed. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Writes `label` so that it reads back as itself inside `[...]`. */
function escapeLabel(label: string): string {
  return label.replace(/[[\]\\]/g, (char) => `\\${char}`);
}

/**
 * Writes a label for a definition on one line: matching collapses whitespace anyway, and a line break
 * (a blank line above all) would end the definition and let the rest of the label be read as Markdown.
 */
function definitionLabel(label: string): string {
  return escapeLabel(label.trim().replace(/\s+/g, " "));
}

/**
 * Writes a URL as a `<...>` link destination: no line breaks, no angle brackets, no escapes, and `&`
 * written as `&amp;` so that `&copy;` in a query stays those characters rather than becoming `©`.
 */
function escapeDestination(url: string): string {
  return url
    .replace(/[\r\n]/g, "")
    .replace(/[<>\\]/g, (char) => encodeURIComponent(char))
    .replace(/&/g, "&amp;");
}

function usableRef(ref: string | null): ref is string {
  return ref !== null && ref.trim() !== "" && ref.length <= 999;
}

/** Whether the Markdown names `ref` as a bracketed label, as in `![alt][ref]`. */
export function referencesLabel(markdown: string, ref: string): boolean {
  const wanted = normalizeLabel(escapeLabel(ref));
  for (const match of markdown.matchAll(/\[((?:[^[\]\\]|\\.)+)\]/g)) {
    if (normalizeLabel(match[1] ?? "") === wanted) return true;
  }
  return false;
}

/** The files a message shows inline: those whose `inlineRef` the content refers to. */
export function inlineFiles(markdown: string, files: readonly MessageFile[]): MessageFile[] {
  return files.filter((file) => usableRef(file.inlineRef) && referencesLabel(markdown, file.inlineRef));
}

/** The files a message offers as downloads: every file not shown inline. */
export function downloadFiles(markdown: string, files: readonly MessageFile[]): MessageFile[] {
  const inline = new Set(inlineFiles(markdown, files));
  return files.filter((file) => !inline.has(file));
}

const FENCE = /^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})(.*)$/;

/**
 * Closes a fenced code block left open at the end (as happens while an answer streams), so that text
 * appended after it is Markdown again rather than code.
 */
export function closeOpenFence(markdown: string): string {
  let open: string | null = null;
  for (const line of markdown.split("\n")) {
    const match = FENCE.exec(line);
    if (!match) continue;
    const fence = match[1] ?? "";
    const rest = match[2] ?? "";
    if (open === null) {
      if (fence.startsWith("`") && rest.includes("`")) continue;
      open = fence;
    } else if (fence[0] === open[0] && fence.length >= open.length && rest.trim() === "") {
      open = null;
    }
  }
  if (open === null) return markdown;
  return `${markdown}${markdown.endsWith("\n") ? "" : "\n"}${open}`;
}

/**
 * Resolves reference-style images such as `![chart][chart_1]` to the files the bot sent with
 * `inline_ref: "chart_1"`, by appending a `[chart_1]: <url>` definition for each such file.
 */
export function withInlineRefs(markdown: string, files: readonly MessageFile[]): string {
  const definitions = files
    .filter((file) => usableRef(file.inlineRef))
    .map((file) => `[${definitionLabel(file.inlineRef ?? "")}]: <${escapeDestination(file.url)}>`);
  if (definitions.length === 0) return markdown;
  return `${closeOpenFence(markdown)}\n\n${definitions.join("\n")}\n`;
}

/** Renders a bot's Markdown (GFM) to HTML, inline file references resolved. Not sanitised. */
export function markdownToHtml(markdown: string, files: readonly MessageFile[] = []): string {
  return marked.parse(withInlineRefs(markdown, files), { async: false });
}

/** A URL as browsers read it before parsing: tabs and line breaks dropped, the start trimmed. */
function cleanUrl(url: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers drop these before parsing a URL.
  return url.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
}

/** The URL's scheme, lower-cased, or null for a relative URL (`java\tscript:` is `javascript:`). */
export function urlScheme(url: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(cleanUrl(url));
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/** Whether a link may point there: http(s), mailto, or a relative URL. */
export function isSafeHref(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === null || scheme === "http" || scheme === "https" || scheme === "mailto";
}

/**
 * Whether an image or other media may load from there: http(s), `data:image/…`, `blob:`, or the
 * simulator's own `/files/…` (a relative URL anywhere else is refused).
 */
export function isSafeSrc(url: string): boolean {
  const scheme = urlScheme(url);
  const cleaned = cleanUrl(url);
  if (scheme === "http" || scheme === "https" || scheme === "blob") return true;
  if (scheme === "data") return /^data:image\//i.test(cleaned);
  if (scheme !== null) return false;
  // A relative URL: resolved against a stand-in origin, it must stay on it and under /files/, or be
  // scheme-relative (`//host/…`, so http(s) like the page).
  const base = "http://simulator.invalid/";
  let resolved: URL;
  try {
    resolved = new URL(cleaned, base);
  } catch {
    return false;
  }
  if (resolved.origin !== new URL(base).origin) return true;
  return resolved.pathname.startsWith("/files/");
}
