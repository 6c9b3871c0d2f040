/**
 * The banner above the composer when the open conversation's bot does not answer with its saved code:
 * `poekit dev` refused the last save (type errors, a module that did not load) or the bot's process
 * stopped. Everything in it is the user's own text (diagnostics, error messages), shown as text.
 */
import { css, html, LitElement, nothing } from "lit";
import type { StaleBot } from "../../src/model.ts";
import { formatDateTime, formatTime } from "./format.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";

/** What to do about it, by reason. */
const NEXT_STEP: Record<StaleBot["reason"], string> = {
  "type-errors":
    "Fix them and save: poekit dev reloads the bot once it type-checks. Its terminal lists every error.",
  "load-failed":
    "Fix it and save: poekit dev reloads the bot once it loads. Its terminal has the whole output.",
  exited: "Save a file and poekit dev starts it again. Its terminal has the bot's output.",
};

export class SimStaleBanner extends LitElement {
  constructor() {
    super();
    new StoreController(this);
  }

  override render() {
    const stale = store.staleBot(store.conversation?.botName);
    if (!stale) return nothing;
    // The summary is a sentence of its own in the terminal; here the banner's sentence goes on after it.
    const summary = stale.summary.replace(/[\s.;:]+$/, "");
    // A type error's first diagnostic says what and where, so it stays in sight; the rest (and a load
    // failure's stack) fold away.
    const first = stale.reason === "type-errors" ? stale.details[0] : undefined;
    const rest = first === undefined ? stale.details : stale.details.slice(1);
    return html`<div
      class="banner"
      role="status"
      data-testid="stale-banner"
      data-reason=${stale.reason}
      title=${`Reported by poekit dev at ${formatDateTime(stale.at)}`}
    >
      <span class="icon" aria-hidden="true">⚠</span>
      <div class="body">
        <p class="lead">
          ${
            stale.servingSince === null
              ? html`<strong>Not answering:</strong> ${summary}.`
              : html`<strong>Not your saved code:</strong> ${summary} — still answering with the version
                  from ${formatTime(stale.servingSince)}.`
          }
        </p>
        ${first ? html`<pre class="first" data-testid="stale-detail">${first}</pre>` : nothing}
        ${
          rest.length > 0
            ? html`<details>
                <summary>${stale.reason === "type-errors" ? "More errors" : "Details"}</summary>
                <pre data-testid="stale-detail">${rest.join("\n")}</pre>
              </details>`
            : nothing
        }
        <p class="next muted">${NEXT_STEP[stale.reason]}</p>
      </div>
    </div>`;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .banner {
        display: flex;
        gap: 0.6rem;
        margin: 0 1rem 0.5rem;
        padding: 0.55rem 0.8rem;
        border: 1px solid var(--warning);
        border-left-width: 4px;
        border-radius: var(--radius);
        background: var(--warning-soft);
        font-size: 0.88rem;
        max-height: 40vh;
        overflow: auto;
      }
      .icon {
        color: var(--warning);
        font-size: 1.1rem;
        line-height: 1.3;
      }
      .body {
        flex: 1;
        min-width: 0;
        display: grid;
        gap: 0.3rem;
      }
      p {
        margin: 0;
        overflow-wrap: anywhere;
      }
      strong {
        color: var(--warning);
      }
      pre {
        font-family: var(--mono);
        font-size: 0.78rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        margin: 0;
        padding: 0.35rem 0.5rem;
        border-radius: 6px;
        background: var(--bg);
      }
      details pre {
        margin-top: 0.3rem;
      }
      summary {
        cursor: pointer;
        font-size: 0.82rem;
      }
      .next {
        font-size: 0.8rem;
      }
    `,
  ];
}

customElements.define("sim-stale-banner", SimStaleBanner);

declare global {
  interface HTMLElementTagNameMap {
    "sim-stale-banner": SimStaleBanner;
  }
}
