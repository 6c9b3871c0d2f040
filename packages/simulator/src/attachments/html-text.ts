/**
 * The visible text of an HTML document, roughly as a reader sees it: what scripts, styles and the
 * document head contain is gone, tags are removed, character references decoded, and whitespace
 * collapsed the way a browser collapses it, with line breaks kept where blocks begin and end.
 *
 * This is a small scanner, not an HTML parser: it does not build a tree, so malformed markup cannot
 * make it fail, and it runs in one pass over the input.
 */

/** Elements whose whole content is dropped: nothing in them is shown on the page. */
const DROPPED = new Set(["script", "style", "head", "title", "template", "noscript", "iframe"]);

/**
 * Elements that start a new paragraph (a blank line around them when the text is read). Anything
 * in {@link LINE_BLOCKS} starts a new line only.
 */
const PARAGRAPH_BLOCKS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "pre",
  "blockquote",
  "table",
  "ul",
  "ol",
  "dl",
  "hr",
  "figure",
  "section",
  "article",
  "aside",
  "header",
  "footer",
  "main",
  "nav",
  "form",
  "fieldset",
  "details",
  "address",
]);

const LINE_BLOCKS = new Set([
  "html",
  "body",
  "div",
  "li",
  "dt",
  "dd",
  "tr",
  "caption",
  "thead",
  "tbody",
  "tfoot",
  "figcaption",
  "summary",
  "legend",
  "option",
  "dialog",
]);

/** Table cells sit side by side: a space keeps neighbouring cells from running together. */
const CELLS = new Set(["td", "th"]);

// Break markers from the Unicode private use area; copies of them in the content are replaced while
// scanning, so the final pass can tell a structural break from a character of content.
const BREAK = "\uE000"; // <br>: one line break each, so two <br> make a blank line
const LINE = "\uE001"; // a block boundary: at least one line break
const PARAGRAPH = "\uE002"; // a paragraph boundary: at least one blank line

/**
 * Names of the Latin-1 letters U+00C0–U+00FF in code point order (`times` and `divide` included),
 * so accented text written with references (`caf&eacute;`, common in older pages) reads right.
 */
const LATIN1_LETTER_NAMES =
  "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml " +
  "ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig " +
  "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml " +
  "eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

/** Named character references worth decoding; the full HTML table has over 2,000. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    LATIN1_LETTER_NAMES.split(" ").map((name, i) => [name, String.fromCharCode(0xc0 + i)]),
  ),
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ensp: " ",
  emsp: " ",
  thinsp: " ",
  shy: "",
  zwj: "\u200D",
  zwnj: "\u200C",
  copy: "©",
  reg: "®",
  trade: "™",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  minus: "−",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  laquo: "«",
  raquo: "»",
  lsaquo: "‹",
  rsaquo: "›",
  bull: "•",
  middot: "·",
  dagger: "†",
  Dagger: "‡",
  permil: "‰",
  prime: "′",
  Prime: "″",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  curren: "¤",
  sect: "§",
  para: "¶",
  deg: "°",
  plusmn: "±",
  times: "×",
  divide: "÷",
  frac12: "½",
  frac14: "¼",
  frac34: "¾",
  sup1: "¹",
  sup2: "²",
  sup3: "³",
  micro: "µ",
  iexcl: "¡",
  iquest: "¿",
  larr: "←",
  rarr: "→",
  uarr: "↑",
  darr: "↓",
  harr: "↔",
  hearts: "♥",
  check: "✓",
};

/**
 * The visible text of `html`: script, style, head (title included), template, noscript and iframe
 * content dropped, comments and tags removed, character references decoded, runs of whitespace collapsed to
 * one space, and block elements (paragraphs, headings, list items, rows, `<br>`) turned into line
 * breaks, with at most one blank line in a row. `<pre>` content keeps its spacing.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let preDepth = 0;
  let i = 0;
  // Whether the output so far ends in collapsible space. Whitespace collapses across tags as well
  // (`<b>a </b> b` reads "a b"), so a space is not written after another one.
  let endsInSpace = true;

  const pushSpace = () => {
    if (!endsInSpace) out.push(" ");
    endsInSpace = true;
  };
  const pushMarker = (marker: string) => {
    out.push(marker);
    endsInSpace = true;
  };
  const pushText = (raw: string) => {
    if (raw === "") return;
    // The marker characters are the page's own private-use characters too (icon fonts use them);
    // they must not be read as breaks, so content copies of them become U+FFFD.
    const text = decodeCharacterReferences(raw).replace(/[\uE000-\uE002]/g, "\uFFFD");
    if (preDepth > 0) {
      out.push(text.replace(/\r\n?/g, "\n"));
      endsInSpace = false;
      return;
    }
    let collapsed = text.replace(/[\t\n\f\r ]+/g, " ");
    if (endsInSpace && collapsed.startsWith(" ")) collapsed = collapsed.slice(1);
    if (collapsed === "") return;
    out.push(collapsed);
    endsInSpace = collapsed.endsWith(" ");
  };

  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      pushText(html.slice(i));
      break;
    }
    pushText(html.slice(i, lt));

    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const tag = readTag(html, lt);
    if (!tag) {
      // `<!DOCTYPE …>`, `<?xml …?>` and stray CDATA are declarations, not content.
      if (html[lt + 1] === "!" || html[lt + 1] === "?") {
        const end = html.indexOf(">", lt);
        i = end === -1 ? html.length : end + 1;
      } else {
        // A `<` that starts no tag (`a < b`) is text, as browsers show it.
        pushText("<");
        i = lt + 1;
      }
      continue;
    }
    i = tag.end;

    if (!tag.closing && DROPPED.has(tag.name)) {
      if (!tag.selfClosing) i = endOfDroppedElement(html, tag.name, i);
      continue;
    }
    if (tag.name === "br") pushMarker(BREAK);
    else if (PARAGRAPH_BLOCKS.has(tag.name)) pushMarker(PARAGRAPH);
    else if (LINE_BLOCKS.has(tag.name)) pushMarker(LINE);
    else if (CELLS.has(tag.name)) pushSpace();
    if (tag.name === "pre") preDepth = Math.max(0, preDepth + (tag.closing ? -1 : 1));
  }

  return collapseBreaks(out.join(""));
}

/** A start or end tag found by {@link readTag}. */
interface Tag {
  /** Lower-case element name. */
  name: string;
  closing: boolean;
  /** Written as `<name … />`. */
  selfClosing: boolean;
  /** Index just after the tag's `>` (or the end of input, for an unterminated tag). */
  end: number;
}

/**
 * Reads the tag starting at `html[start] === "<"`, or returns null when what follows is not a tag
 * name. Quoted attribute values are skipped as a whole, so a `>` inside one does not end the tag.
 */
function readTag(html: string, start: number): Tag | null {
  let i = start + 1;
  const closing = html[i] === "/";
  if (closing) i++;
  const nameMatch = /^[A-Za-z][A-Za-z0-9:-]*/.exec(html.slice(i, i + 64));
  if (!nameMatch) return null;
  const name = nameMatch[0].toLowerCase();
  i += nameMatch[0].length;

  let quote: string | null = null;
  for (; i < html.length; i++) {
    const char = html[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ">") {
      return { name, closing, selfClosing: html[i - 1] === "/", end: i + 1 };
    }
  }
  return { name, closing, selfClosing: false, end: html.length };
}

/**
 * Where a dropped element ends: just after its end tag. `<head>` may legally omit its end tag, in
 * which case it ends where `<body>` begins; a missing end tag otherwise drops the rest of the input,
 * as a browser would treat an unclosed `<script>`.
 */
function endOfDroppedElement(html: string, name: string, from: number): number {
  const endTag = new RegExp(`</${name}(?=[\\s/>])[^>]*>?`, "gi");
  endTag.lastIndex = from;
  const match = endTag.exec(html);
  if (match) return match.index + match[0].length;
  if (name === "head") {
    const body = /<body(?=[\s/>])/gi;
    body.lastIndex = from;
    const bodyMatch = body.exec(html);
    if (bodyMatch) return bodyMatch.index;
    return from;
  }
  return html.length;
}

/**
 * Turns the break markers into line breaks: spaces around a run of markers go, and the run becomes
 * as many line breaks as its strongest member asks for (at most two, i.e. one blank line).
 */
function collapseBreaks(text: string): string {
  const collapsed = text.replace(/ *[\uE000-\uE002][ \uE000-\uE002]*/g, (run) => {
    const breaks = [...run].filter((char) => char === BREAK).length;
    const wanted = run.includes(PARAGRAPH) ? 2 : run.includes(LINE) ? 1 : 0;
    return "\n".repeat(Math.min(2, Math.max(breaks, wanted)));
  });
  return collapsed.replace(/^[ \n]+|[ \n]+$/g, "");
}

/**
 * Decodes `&name;`, `&#123;` and `&#x7B;` references. Unknown names stay as written; code points a
 * document may not contain (0, surrogates, beyond U+10FFFF) become U+FFFD.
 */
export function decodeCharacterReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    /&(?:#[xX]([0-9a-fA-F]{1,8});|#([0-9]{1,10});|([A-Za-z][A-Za-z0-9]{0,31});)/g,
    (whole, hex, dec, name) => {
      if (name !== undefined) return NAMED_REFERENCES[name] ?? whole;
      const codePoint = Number.parseInt(hex ?? dec, hex !== undefined ? 16 : 10);
      const forbidden =
        codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff);
      return forbidden ? "\uFFFD" : String.fromCodePoint(codePoint);
    },
  );
}
