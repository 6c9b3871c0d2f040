/**
 * What the sanitiser must do to hostile and ordinary Markdown, as cases a browser test runs: render each
 * case's `markdown` (with its `files`) the way the page does, then `checkCase` the element holding it.
 * DOMPurify needs a real DOM, so these run in a browser rather than in vitest.
 */
import type { MessageFile } from "../../src/model.ts";

export interface SanitizeCase {
  name: string;
  markdown: string;
  files?: MessageFile[];
  /** Selectors that must match nothing in the rendered content. */
  absent: string[];
  /** Selectors that must match something in the rendered content. */
  present?: string[];
}

const file = (inlineRef: string | null, url: string, name = "chart.png"): MessageFile => ({
  fileId: null,
  url,
  name,
  contentType: "image/png",
  inlineRef,
});

export const SANITIZE_CASES: SanitizeCase[] = [
  {
    name: "a script element is removed",
    markdown: "Hello <script>window.__sanitizeBreach = 'script'</script> there",
    absent: ["script"],
  },
  {
    name: "an onerror handler is removed",
    markdown: '<img src="/files/none.png" onerror="window.__sanitizeBreach = \'onerror\'">',
    absent: ["[onerror]"],
  },
  {
    name: "a javascript: Markdown link loses its href",
    markdown: "[click me](javascript:window.__sanitizeBreach='link')",
    absent: ["a[href]"],
  },
  {
    name: "a javascript: HTML link hidden by a tab and entities loses its href",
    markdown: '<a href="jav&#x09;ascript&colon;window.__sanitizeBreach=1">click</a>',
    absent: ["a[href]"],
  },
  {
    name: "an SVG with onload is removed",
    markdown: '<svg onload="window.__sanitizeBreach = \'svg\'"><circle r="5"></circle></svg>',
    absent: ["svg", "circle", "[onload]"],
  },
  {
    name: "an SVG image through a data: link is not a link",
    markdown: "[svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)",
    absent: ["a[href]"],
  },
  {
    name: "an iframe is removed",
    markdown: "<iframe src=\"javascript:window.__sanitizeBreach='iframe'\"></iframe>",
    absent: ["iframe"],
  },
  {
    name: "object, embed and MathML are removed",
    markdown: '<object data="/x"></object><embed src="/x"><math><mi>x</mi></math>',
    absent: ["object", "embed", "math"],
  },
  {
    name: "style elements and attributes are removed",
    markdown: '<style>* { display: none }</style><p style="position: fixed">text</p>',
    absent: ["style", "[style]"],
  },
  {
    name: "forms and buttons are removed",
    markdown: '<form action="/api/balance"><button formaction="/api/bots">go</button></form>',
    absent: ["form", "button", "[action]", "[formaction]"],
  },
  {
    name: "an image from javascript: or from the page's own API loses its src",
    markdown: "![a](javascript:alert(1)) ![b](/api/state) ![c](data:text/html,hi)",
    absent: ["img[src]"],
  },
  {
    name: "http(s), data:image, blob: and /files images keep their src",
    markdown:
      "![a](https://example.com/a.png) ![b](data:image/png;base64,iVBORw0KGgo=) ![c](/files/abc/c.png?expires=1&signature=s)",
    present: [
      'img[src="https://example.com/a.png"]',
      'img[src^="data:image/png"]',
      'img[src^="/files/abc/"]',
    ],
    absent: [],
  },
  {
    name: "links open in a new tab without an opener",
    markdown: "[docs](https://example.com/docs) <mailto:someone@example.com> [rel](./relative)",
    present: [
      'a[href="https://example.com/docs"][target="_blank"][rel="noopener noreferrer"]',
      'a[href="mailto:someone@example.com"][target="_blank"]',
      'a[href="./relative"][target="_blank"]',
    ],
    absent: ["a[target]:not([href])"],
  },
  {
    name: "a GFM table renders",
    markdown: "| name | value |\n| --- | ---: |\n| a | 1 |\n| b | 2 |",
    present: ["table thead th", "table tbody tr:nth-child(2) td"],
    absent: [],
  },
  {
    name: "a GFM task list renders as disabled checkboxes",
    markdown: "- [x] done\n- [ ] to do",
    present: ['input[type="checkbox"][disabled]'],
    absent: ['input:not([type="checkbox"])', "input:not([disabled])"],
  },
  {
    name: "an inline_ref image resolves to its file",
    markdown: "Here is the chart:\n\n![Sales][chart_1]",
    files: [file("chart_1", "/files/f1/chart.png?expires=9&signature=s")],
    present: ['img[alt="Sales"][src="/files/f1/chart.png?expires=9&signature=s"]'],
    absent: [],
  },
];

/** Things no sanitised content may hold, whatever the case. */
export function inertProblems(root: ParentNode): string[] {
  const problems: string[] = [];
  const dangerous = "script, iframe, frame, object, embed, svg, math, style, form, base, link, meta";
  for (const element of root.querySelectorAll(dangerous)) {
    problems.push(`<${element.tagName.toLowerCase()}> survived`);
  }
  for (const element of root.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore these inside a URL's scheme.
      const value = attribute.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) problems.push(`${name}= on <${element.tagName.toLowerCase()}>`);
      if (/^(javascript|vbscript|data:text)/.test(value) && /href|src|action|data/.test(name)) {
        problems.push(`${name}="${attribute.value}" on <${element.tagName.toLowerCase()}>`);
      }
    }
  }
  return problems;
}

/** Everything wrong with a case's rendered content; empty when it passes. */
export function checkCase(testCase: SanitizeCase, root: ParentNode): string[] {
  const problems = inertProblems(root);
  for (const selector of testCase.absent) {
    if (root.querySelector(selector)) problems.push(`found ${selector}`);
  }
  for (const selector of testCase.present ?? []) {
    if (!root.querySelector(selector)) problems.push(`missing ${selector}`);
  }
  return problems;
}
