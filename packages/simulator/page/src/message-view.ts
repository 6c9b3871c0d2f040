/**
 * One message: the user's text and attachments, or a bot's answer (Markdown or plain text) with its files,
 * error, feedback, reactions and suggested replies; a system message is a context-clear divider.
 * Clicking a bot message shows it in the inspector.
 */
import { css, html, LitElement, nothing } from "lit";
import type { MessageFile, MessageRecord } from "../../src/model.ts";
import { formatDateTime, formatTime } from "./format.ts";
import { downloadFiles, isSafeHref, isSafeSrc } from "./markdown.ts";
import { markdown } from "./sanitize.ts";
import { store } from "./store.ts";
import { base, markdownStyles } from "./styles.ts";

/** The reaction picker's choices, with names for screen readers. */
export const REACTIONS: ReadonlyArray<{ emoji: string; name: string }> = [
  { emoji: "👍", name: "thumbs up" },
  { emoji: "❤️", name: "heart" },
  { emoji: "😂", name: "laughing" },
  { emoji: "😮", name: "surprised" },
];

const STATUS_TEXT: Record<MessageRecord["status"], string> = {
  pending: "waiting for the bot…",
  streaming: "answering…",
  complete: "",
  error: "failed",
};

export class SimMessage extends LitElement {
  static override properties = {
    message: { attribute: false },
    violations: { type: Number },
    selected: { type: Boolean, reflect: true },
    suggestions: { attribute: false },
    busy: { state: true },
    openParsed: { state: true },
  };

  declare message: MessageRecord;
  declare violations: number;
  declare selected: boolean;
  declare suggestions: readonly string[];
  /** An action on this message is on its way to the simulator. */
  declare busy: boolean;
  /** The attachment whose parsed content is shown, by URL. */
  declare openParsed: string | null;

  constructor() {
    super();
    this.violations = 0;
    this.selected = false;
    this.suggestions = [];
    this.busy = false;
    this.openParsed = null;
  }

  private async act(run: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await run();
    } finally {
      this.busy = false;
    }
  }

  /** A click on the message, not on one of its controls or links, inspects it. */
  private onClick(event: MouseEvent): void {
    if (this.message.role !== "bot") return;
    const interactive = event
      .composedPath()
      .some(
        (node) =>
          node instanceof HTMLElement && /^(A|BUTTON|INPUT|SUMMARY|TEXTAREA|SELECT)$/.test(node.tagName),
      );
    if (interactive) return;
    if (getSelection()?.toString()) return;
    store.inspect(this.message.id);
  }

  override render() {
    const message = this.message;
    if (!message) return nothing;
    return html`<article
      class="message ${message.role} ${message.status}"
      data-testid="message"
      data-role=${message.role}
      data-status=${message.status}
      data-message-id=${message.id}
      aria-label=${this.label()}
      @click=${this.onClick}
    >
      ${message.role === "system" ? this.renderDivider() : this.renderBody()}
    </article>`;
  }

  private label(): string {
    const message = this.message;
    if (message.role === "system") return "Context cleared";
    return `${message.role === "user" ? "You" : (message.botName ?? "Bot")} at ${formatTime(message.createdAt)}`;
  }

  private renderDivider() {
    return html`<div class="divider" role="separator" data-testid="message-content">
      <span>Context cleared — the bot sees only messages after this line</span>
    </div>`;
  }

  private renderBody() {
    const message = this.message;
    const isBot = message.role === "bot";
    return html`
      <header>
        <span class="author">${isBot ? (message.botName ?? "Bot") : "You"}</span>
        <time class="muted" datetime=${new Date(message.createdAt).toISOString()} title=${formatDateTime(message.createdAt)}>
          ${formatTime(message.createdAt)}
        </time>
        ${
          STATUS_TEXT[message.status] && message.status !== "error"
            ? html`<span class="badge busy" data-testid="message-status">${STATUS_TEXT[message.status]}</span>`
            : nothing
        }
        ${
          isBot && this.violations > 0
            ? html`<button
                class="badge bad"
                data-testid="violation-badge"
                aria-label=${`${this.violations} protocol violation${this.violations === 1 ? "" : "s"}: show in the inspector`}
                @click=${() => store.inspect(message.id)}
              >
                ⚠ ${this.violations}
              </button>`
            : nothing
        }
        ${
          isBot
            ? html`<button
                class="ghost inspect"
                aria-pressed=${this.selected ? "true" : "false"}
                aria-label="Show this answer in the inspector"
                @click=${() => store.inspect(message.id)}
              >
                Inspect
              </button>`
            : nothing
        }
      </header>
      ${this.renderContent()} ${this.renderFiles()} ${isBot ? this.renderError() : nothing}
      ${isBot ? this.renderFeedback() : this.renderParameters()} ${this.renderSuggestions()}
    `;
  }

  private renderContent() {
    const message = this.message;
    if (message.role === "user") {
      return message.content
        ? html`<div class="content user-text" data-testid="message-content">${message.content}</div>`
        : nothing;
    }
    if (!message.content) {
      return message.status === "pending" || message.status === "streaming"
        ? html`<div class="content" data-testid="message-content">
            <span class="typing" aria-label="The bot is answering"><i></i><i></i><i></i></span>
          </div>`
        : html`<div class="content empty muted" data-testid="message-content">(no text)</div>`;
    }
    if (message.contentType === "text/plain") {
      return html`<pre class="content plain" data-testid="message-content">${message.content}</pre>`;
    }
    return html`<div class="content markdown" data-testid="message-content">
      ${markdown(message.content, message.attachments)}
    </div>`;
  }

  /** The user's attachments as chips; a bot's files not shown inline as download links. */
  private renderFiles() {
    const message = this.message;
    if (message.attachments.length === 0) return nothing;
    if (message.role === "user") {
      const parsed = message.attachments.find((file) => file.url === this.openParsed);
      return html`<ul class="chips" aria-label="Attachments">
          ${message.attachments.map((file) => this.renderChip(file))}
        </ul>
        ${
          parsed?.parsedContent
            ? html`<pre class="parsed" aria-label=${`What ${parsed.name} was parsed into`}>${parsed.parsedContent}</pre>`
            : nothing
        }`;
    }
    const downloads = downloadFiles(message.content, message.attachments);
    if (downloads.length === 0) return nothing;
    return html`<ul class="downloads" aria-label="Files from the bot">
      ${downloads.map(
        (file) =>
          html`<li data-testid="bot-file">
            ${
              isSafeHref(file.url)
                ? html`<a href=${file.url} download=${file.name} target="_blank" rel="noopener noreferrer">⤓ ${file.name}</a>`
                : html`<span title="Not a URL the page follows">${file.name}</span>`
            }
            <span class="muted">${file.contentType}</span>
          </li>`,
      )}
    </ul>`;
  }

  private renderChip(file: MessageFile) {
    const thumbnail = file.contentType.startsWith("image/") && isSafeSrc(file.url);
    const open = this.openParsed === file.url;
    return html`<li class="chip" data-testid="attachment-chip" title=${file.contentType}>
      ${
        thumbnail
          ? html`<img src=${file.url} alt="" loading="lazy" />`
          : html`<svg class="file-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path
              d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linejoin="round"
            />
          </svg>`
      }
      ${
        isSafeHref(file.url)
          ? html`<a href=${file.url} target="_blank" rel="noopener noreferrer">${file.name}</a>`
          : html`<span>${file.name}</span>`
      }
      ${
        file.parsedContent
          ? html`<button
              class="ghost mini"
              aria-expanded=${open ? "true" : "false"}
              aria-label=${`What the bot received as the parsed content of ${file.name}`}
              @click=${() => {
                this.openParsed = open ? null : file.url;
              }}
            >
              parsed
            </button>`
          : nothing
      }
    </li>`;
  }

  private renderError() {
    const message = this.message;
    const error =
      message.error ??
      (message.status === "error"
        ? {
            text: "The answer failed: see the inspector.",
            allowRetry: true,
            errorType: null,
            rawResponse: null,
          }
        : null);
    if (!error) return nothing;
    return html`<div class="error-box" role="alert" data-testid="error-box">
      <div class="error-text">
        <strong>${error.text || "The bot reported an error."}</strong>
        ${error.errorType ? html`<span class="badge bad mono">${error.errorType}</span>` : nothing}
      </div>
      ${
        error.rawResponse
          ? html`<details>
              <summary>raw_response <span class="muted">(for debugging; Poe does not show it)</span></summary>
              <pre>${error.rawResponse}</pre>
            </details>`
          : nothing
      }
      ${
        error.allowRetry
          ? html`<button
              data-testid="retry-button"
              ?disabled=${this.busy}
              @click=${() => this.act(() => store.retry(this.message.id))}
            >
              Retry
            </button>`
          : html`<span class="muted small">The bot does not allow a retry.</span>`
      }
    </div>`;
  }

  private renderFeedback() {
    const message = this.message;
    if (message.status === "pending") return nothing;
    const last = message.feedback[message.feedback.length - 1]?.type ?? null;
    return html`<footer>
      <div class="feedback" role="group" aria-label="Feedback">
        <button
          class="ghost"
          data-testid="like-button"
          aria-label="Like"
          aria-pressed=${last === "like" ? "true" : "false"}
          ?disabled=${this.busy}
          @click=${() => this.act(() => store.feedback(message.id, "like"))}
        >
          Like
        </button>
        <button
          class="ghost"
          data-testid="dislike-button"
          aria-label="Dislike"
          aria-pressed=${last === "dislike" ? "true" : "false"}
          ?disabled=${this.busy}
          @click=${() => this.act(() => store.feedback(message.id, "dislike"))}
        >
          Dislike
        </button>
      </div>
      <div class="reactions" role="group" aria-label="Reactions">
        ${REACTIONS.map(({ emoji, name }) => {
          const on = message.reactions.includes(emoji);
          return html`<button
            class="ghost reaction"
            data-testid="reaction-button"
            data-reaction=${emoji}
            aria-label=${`React with ${name}`}
            aria-pressed=${on ? "true" : "false"}
            ?disabled=${this.busy}
            @click=${() => this.act(() => store.react(message.id, emoji))}
          >
            ${emoji}
          </button>`;
        })}
      </div>
      ${
        message.metadata !== null
          ? html`<span class="metadata muted mono" title="The last data event's metadata, sent back to the bot later">
              metadata: ${message.metadata}
            </span>`
          : nothing
      }
    </footer>`;
  }

  /** The parameter values a user message was sent with. */
  private renderParameters() {
    const entries = Object.entries(this.message.parameters ?? {});
    if (entries.length === 0) return nothing;
    return html`<footer class="parameters muted mono" aria-label="Parameters sent">
      ${entries.map(([name, value]) => html`<span>${name}=${JSON.stringify(value)}</span>`)}
    </footer>`;
  }

  private renderSuggestions() {
    if (this.suggestions.length === 0) return nothing;
    return html`<div class="suggestions" role="group" aria-label="Suggested replies">
      ${this.suggestions.map(
        (text) =>
          html`<button data-testid="suggested-reply" ?disabled=${this.busy} @click=${() => this.act(() => store.send(text))}>
            ${text}
          </button>`,
      )}
    </div>`;
  }

  static override styles = [
    base,
    markdownStyles,
    css`
      :host {
        display: block;
      }
      .message {
        border: 1px solid transparent;
        border-radius: var(--radius);
        padding: 0.55rem 0.8rem 0.6rem;
      }
      .message.user {
        background: var(--accent-soft);
        margin-left: clamp(0rem, 10%, 5rem);
      }
      .message.bot {
        background: var(--bg-subtle);
        border-color: var(--border);
        margin-right: clamp(0rem, 6%, 3rem);
        cursor: pointer;
      }
      :host([selected]) .message.bot {
        border-color: var(--accent);
        box-shadow: 0 0 0 1px var(--accent);
      }
      .message.error {
        border-color: var(--danger);
      }
      header {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-bottom: 0.3rem;
        font-size: 0.85rem;
      }
      .author {
        font-weight: 700;
      }
      .inspect {
        margin-left: auto;
        font-size: 0.78rem;
        padding: 0.1rem 0.45rem;
      }
      .content {
        cursor: auto;
      }
      .user-text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      pre.plain {
        margin: 0;
        font-family: var(--mono);
        font-size: 0.86rem;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .empty {
        font-style: italic;
      }
      .typing {
        display: inline-flex;
        gap: 0.25rem;
        padding: 0.3rem 0;
      }
      .typing i {
        width: 0.4rem;
        height: 0.4rem;
        border-radius: 50%;
        background: var(--text-muted);
        animation: blink 1.2s infinite ease-in-out;
      }
      .typing i:nth-child(2) {
        animation-delay: 0.2s;
      }
      .typing i:nth-child(3) {
        animation-delay: 0.4s;
      }
      @keyframes blink {
        0%,
        80%,
        100% {
          opacity: 0.25;
        }
        40% {
          opacity: 1;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .typing i {
          animation: none;
        }
      }
      .divider {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        color: var(--text-muted);
        font-size: 0.8rem;
      }
      .divider::before,
      .divider::after {
        content: "";
        flex: 1;
        border-top: 1px dashed var(--border);
      }
      .chips,
      .downloads {
        list-style: none;
        margin: 0.45rem 0 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        border: 1px solid var(--border);
        background: var(--bg);
        border-radius: 999px;
        padding: 0.15rem 0.55rem 0.15rem 0.3rem;
        font-size: 0.82rem;
        max-width: 100%;
      }
      .chip img {
        width: 1.4rem;
        height: 1.4rem;
        object-fit: cover;
        border-radius: 50%;
      }
      .chip a {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .mini {
        font-size: 0.72rem;
        padding: 0 0.3rem;
      }
      .parsed {
        font-family: var(--mono);
        font-size: 0.78rem;
        background: var(--bg);
        border: 1px solid var(--border);
        border-radius: 6px;
        padding: 0.4rem 0.6rem;
        max-height: 14rem;
        overflow: auto;
        white-space: pre-wrap;
        margin: 0.4rem 0 0;
      }
      .downloads {
        flex-direction: column;
        gap: 0.2rem;
        font-size: 0.88rem;
      }
      .downloads li {
        display: flex;
        gap: 0.5rem;
        align-items: baseline;
      }
      .error-box {
        margin-top: 0.5rem;
        border: 1px solid var(--danger);
        background: var(--danger-soft);
        border-radius: 6px;
        padding: 0.5rem 0.7rem;
        display: grid;
        gap: 0.4rem;
        justify-items: start;
        cursor: auto;
      }
      .error-text {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        flex-wrap: wrap;
        color: var(--danger);
      }
      .error-box pre {
        font-family: var(--mono);
        font-size: 0.78rem;
        white-space: pre-wrap;
        margin: 0.3rem 0 0;
      }
      .small {
        font-size: 0.8rem;
      }
      footer {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.75rem;
        margin-top: 0.45rem;
        font-size: 0.8rem;
      }
      footer button {
        font-size: 0.8rem;
        padding: 0.1rem 0.4rem;
      }
      .feedback,
      .reactions {
        display: flex;
        gap: 0.15rem;
      }
      .reaction {
        font-size: 0.95rem;
      }
      .metadata {
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .parameters {
        gap: 0.2rem 0.6rem;
        font-size: 0.75rem;
      }
      .suggestions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin-top: 0.6rem;
      }
      .suggestions button {
        border-radius: 999px;
        border-color: var(--accent);
        color: var(--accent);
        background: var(--bg);
      }
    `,
  ];
}

customElements.define("sim-message", SimMessage);

declare global {
  interface HTMLElementTagNameMap {
    "sim-message": SimMessage;
  }
}
