/**
 * Styles every component shares: the palette (set once on the app and inherited through shadow roots),
 * controls, focus rings and small utilities.
 */
import { css } from "lit";

/** The palette, light and dark. Applied on the app's host; custom properties cross shadow roots. */
export const palette = css`
  :host {
    --bg: #ffffff;
    --bg-subtle: #f7f8fa;
    --bg-muted: #eef0f3;
    --bg-hover: #e3e6eb;
    --border: #d7dbe1;
    --text: #1c2027;
    --text-muted: #5b6370;
    --accent: #3f51d4;
    --accent-text: #ffffff;
    --accent-soft: #e7eafc;
    --danger: #b42318;
    --danger-soft: #fdeceb;
    --warning: #8a5300;
    --warning-soft: #fff3dc;
    --ok: #1f7a35;
    --ok-soft: #e4f4e8;
    --code-bg: #f1f2f5;
    --shadow: 0 2px 10px rgb(0 0 0 / 0.12);
    --radius: 8px;
    --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --bg: #16181d;
      --bg-subtle: #1c1f25;
      --bg-muted: #262a32;
      --bg-hover: #30353f;
      --border: #363b45;
      --text: #e6e8ec;
      --text-muted: #9aa2b1;
      --accent: #8c9bff;
      --accent-text: #10131a;
      --accent-soft: #272d52;
      --danger: #ff8a80;
      --danger-soft: #3a1d1c;
      --warning: #ffc46b;
      --warning-soft: #3a2c14;
      --ok: #7fd48f;
      --ok-soft: #1b3322;
      --code-bg: #22262e;
      --shadow: 0 2px 12px rgb(0 0 0 / 0.5);
      color-scheme: dark;
    }
  }
`;

/** Controls and utilities, for every component's shadow root. */
export const base = css`
  :host {
    box-sizing: border-box;
    color: var(--text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    font-size: 0.875rem;
    color: inherit;
    background: var(--bg-muted);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 0.3rem 0.65rem;
    cursor: pointer;
    line-height: 1.3;
  }
  button:hover:not(:disabled) {
    background: var(--bg-hover);
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--accent-text);
    font-weight: 600;
  }
  button.primary:hover:not(:disabled) {
    background: var(--accent);
    filter: brightness(1.1);
  }
  button.ghost {
    background: transparent;
    border-color: transparent;
  }
  button.ghost:hover:not(:disabled) {
    background: var(--bg-hover);
  }
  button.danger {
    color: var(--danger);
  }
  button[aria-pressed="true"] {
    background: var(--accent-soft);
    border-color: var(--accent);
  }
  input,
  textarea,
  select {
    font: inherit;
    font-size: 0.9rem;
    color: inherit;
    background: var(--bg);
    border: 1px solid var(--border);
    border-radius: 6px;
    padding: 0.35rem 0.5rem;
    max-width: 100%;
  }
  input[type="checkbox"],
  input[type="radio"],
  input[type="range"] {
    accent-color: var(--accent);
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible {
    outline-offset: 0;
  }
  a {
    color: var(--accent);
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .muted {
    color: var(--text-muted);
  }
  .mono {
    font-family: var(--mono);
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.25rem;
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.05rem 0.45rem;
    border-radius: 999px;
    background: var(--bg-muted);
    border: 1px solid var(--border);
    color: var(--text-muted);
    white-space: nowrap;
  }
  .badge.bad {
    background: var(--danger-soft);
    border-color: var(--danger);
    color: var(--danger);
  }
  .badge.good {
    background: var(--ok-soft);
    border-color: var(--ok);
    color: var(--ok);
  }
  .badge.busy {
    background: var(--warning-soft);
    border-color: var(--warning);
    color: var(--warning);
  }
  h2,
  h3 {
    margin: 0;
    font-size: 0.8rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--text-muted);
  }
  pre.json {
    font-family: var(--mono);
    font-size: 0.78rem;
    background: var(--code-bg);
    border-radius: 6px;
    padding: 0.5rem 0.6rem;
    margin: 0.4rem 0 0;
    overflow: auto;
    max-height: 24rem;
    white-space: pre;
  }
`;

/** How rendered Markdown looks, inside an element with class `markdown`. */
export const markdownStyles = css`
  .markdown {
    line-height: 1.55;
    overflow-wrap: anywhere;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown pre,
  .markdown table,
  .markdown blockquote {
    margin: 0.5em 0;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3,
  .markdown h4 {
    margin: 0.8em 0 0.4em;
    line-height: 1.25;
    text-transform: none;
    letter-spacing: 0;
    color: var(--text);
  }
  .markdown h1 {
    font-size: 1.35em;
  }
  .markdown h2 {
    font-size: 1.2em;
  }
  .markdown h3 {
    font-size: 1.08em;
  }
  .markdown h4 {
    font-size: 1em;
  }
  .markdown ul,
  .markdown ol {
    padding-left: 1.5em;
  }
  .markdown li > input[type="checkbox"] {
    margin: 0 0.35em 0 0;
  }
  .markdown code {
    font-family: var(--mono);
    font-size: 0.88em;
    background: var(--code-bg);
    padding: 0.1em 0.3em;
    border-radius: 4px;
  }
  .markdown pre {
    background: var(--code-bg);
    padding: 0.6em 0.8em;
    border-radius: 6px;
    overflow-x: auto;
  }
  .markdown pre code {
    background: none;
    padding: 0;
    font-size: 0.85em;
  }
  .markdown blockquote {
    border-left: 3px solid var(--border);
    padding-left: 0.8em;
    color: var(--text-muted);
  }
  .markdown table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
    max-width: 100%;
  }
  .markdown th,
  .markdown td {
    border: 1px solid var(--border);
    padding: 0.3em 0.6em;
    /* Words stay whole in cells: a wide table scrolls inside itself rather than breaking every letter. */
    overflow-wrap: normal;
  }
  .markdown th {
    background: var(--bg-muted);
  }
  .markdown img {
    max-width: 100%;
    max-height: 28rem;
    border-radius: 6px;
  }
  .markdown hr {
    border: none;
    border-top: 1px solid var(--border);
  }
`;
