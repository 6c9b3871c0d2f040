/**
 * Makes rendered Markdown safe to put in the page: DOMPurify with its HTML profile (no SVG or MathML), no
 * styles or forms, and a URL policy on links and media. Needs a browser window.
 */
import createDOMPurify from "dompurify";
import { noChange } from "lit";
import { Directive, directive, type Part } from "lit/directive.js";
import type { MessageFile } from "../../src/model.ts";
import { isSafeHref, isSafeSrc, markdownToHtml } from "./markdown.ts";

/** Attributes holding a URL a click follows or a form posts to. */
const LINK_ATTRIBUTES = ["href", "xlink:href", "action", "formaction", "cite"];
/** Attributes holding a URL the browser loads by itself. */
const MEDIA_ATTRIBUTES = ["src", "poster", "background"];

const purify = createDOMPurify(window);

purify.addHook("afterSanitizeAttributes", (node) => {
  if (!(node instanceof Element)) return;
  for (const name of LINK_ATTRIBUTES) {
    const value = node.getAttribute(name);
    if (value !== null && !isSafeHref(value)) node.removeAttribute(name);
  }
  for (const name of MEDIA_ATTRIBUTES) {
    const value = node.getAttribute(name);
    if (value !== null && !isSafeSrc(value)) node.removeAttribute(name);
  }
  // Only the `language-…` classes marked puts on code blocks; others could pass for the page's own.
  const classes = node.getAttribute("class");
  if (classes !== null) {
    const kept = classes.split(/\s+/).filter((name) => /^language-[\w+#.-]+$/.test(name));
    if (kept.length > 0) node.setAttribute("class", kept.join(" "));
    else node.removeAttribute("class");
  }
  switch (node.tagName) {
    case "A":
      if (node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      } else {
        node.removeAttribute("target");
      }
      break;
    case "IMG":
      node.setAttribute("loading", "lazy");
      node.setAttribute("referrerpolicy", "no-referrer");
      break;
    case "INPUT":
      // GFM task lists: a disabled checkbox is the only input a message may hold.
      node.setAttribute("type", "checkbox");
      node.setAttribute("disabled", "");
      break;
  }
});

const CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "form", "button", "textarea", "select", "option", "dialog", "base", "link", "meta"],
  FORBID_ATTR: ["style", "srcset", "autofocus", "formaction", "action", "ping"],
  ALLOW_DATA_ATTR: false,
  SANITIZE_NAMED_PROPS: true,
};

/** Renders a bot's Markdown, with its inline files, into a safe fragment of this document. */
function renderMarkdown(markdown: string, files: readonly MessageFile[]): DocumentFragment {
  return purify.sanitize(markdownToHtml(markdown, files), { ...CONFIG, RETURN_DOM_FRAGMENT: true });
}

/**
 * Renders Markdown into a lit template, again only when the Markdown or its files change: while they stay
 * the same, the nodes in the page (and any text selected in them) stay too.
 */
class MarkdownDirective extends Directive {
  private key: string | null = null;

  render(markdown: string, files: readonly MessageFile[] = []): DocumentFragment {
    return renderMarkdown(markdown, files);
  }

  override update(_part: Part, [markdown, files = []]: [string, (readonly MessageFile[])?]) {
    const key = `${markdown}\u0000${files.map((file) => `${file.url}\u0001${file.inlineRef ?? ""}`).join("\u0002")}`;
    if (key === this.key) return noChange;
    this.key = key;
    return this.render(markdown, files);
  }
}

/** `${markdown(text, files)}` in a lit template: the sanitised rendering of a bot's Markdown. */
export const markdown = directive(MarkdownDirective);
