/**
 * The open conversation's messages, oldest first, with the bot's introduction at the top of an empty one.
 * Keeps to the bottom while answers stream, unless the reader has scrolled up.
 */
import { css, html, LitElement, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { markdown } from "./sanitize.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base, markdownStyles } from "./styles.ts";
import "./message-view.ts";

/** How close to the bottom (px) counts as "at the bottom". */
const STICK_DISTANCE = 80;
/** One empty list for every message without suggestions: a new one each render would re-render them all. */
const NO_SUGGESTIONS: readonly string[] = [];

export class SimMessageList extends LitElement {
  private stickToBottom = true;
  private shownConversation: string | null = null;
  private newestUserMessage: string | null = null;
  private resizeObserver = new ResizeObserver(() => this.keepAtBottom());

  constructor() {
    super();
    new StoreController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("scroll", this.onScroll, { passive: true });
    // Connected again after a disconnect: firstUpdated does not run twice.
    this.observeInner();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener("scroll", this.onScroll);
    this.resizeObserver.disconnect();
  }

  override firstUpdated(): void {
    this.observeInner();
  }

  private observeInner(): void {
    const inner = this.renderRoot.querySelector(".inner");
    if (inner) this.resizeObserver.observe(inner);
  }

  override willUpdate(): void {
    if (store.conversationId !== this.shownConversation) {
      this.shownConversation = store.conversationId;
      this.stickToBottom = true;
    }
    // A new message from the user (sent here, or a retry's new answer): follow what comes next.
    const newest = store.messages.findLast((m) => m.role === "user")?.id ?? null;
    if (newest !== this.newestUserMessage) {
      if (this.newestUserMessage !== null || store.messages.length > 0) this.stickToBottom = true;
      this.newestUserMessage = newest;
    }
  }

  override updated(): void {
    this.keepAtBottom();
  }

  private onScroll = () => {
    this.stickToBottom = this.scrollHeight - this.scrollTop - this.clientHeight < STICK_DISTANCE;
  };

  private keepAtBottom(): void {
    if (this.stickToBottom) this.scrollTop = this.scrollHeight;
  }

  override render() {
    const conversation = store.conversation;
    const bot = store.bot(conversation?.botName);
    const messages = store.messages;
    const latestBot = store.latestBotMessage;
    const inspected = store.inspectedMessageId;
    const violations = store.violationCounts();
    const introduction = bot?.settings.introductionMessage;
    return html`
      <div class="inner" role="log" aria-live="polite" aria-relevant="additions text" aria-label="Messages">
        ${
          conversation && messages.length === 0 && introduction
            ? html`<div class="intro" data-testid="intro-message">
                <div class="intro-head muted">${bot?.name} says</div>
                <div class="markdown">${markdown(introduction)}</div>
              </div>`
            : nothing
        }
        ${
          !conversation
            ? html`<p class="placeholder muted">
                ${store.loaded ? "Pick a conversation or start a new chat from the sidebar." : "Loading…"}
              </p>`
            : messages.length === 0 && !introduction
              ? html`<p class="placeholder muted">
                  ${store.conversationLoading ? "Loading…" : `Say something to ${conversation.botName}.`}
                </p>`
              : nothing
        }
        ${repeat(
          messages,
          (message) => message.id,
          (message) =>
            html`<sim-message
              .message=${message}
              .violations=${violations.get(message.id) ?? 0}
              .selected=${message.id === inspected}
              .suggestions=${message.id === latestBot?.id ? message.suggestedReplies : NO_SUGGESTIONS}
            ></sim-message>`,
        )}
      </div>
    `;
  }

  static override styles = [
    base,
    markdownStyles,
    css`
      :host {
        display: block;
        overflow-y: auto;
        overscroll-behavior: contain;
      }
      .inner {
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
        padding: 1rem;
        max-width: 52rem;
        margin: 0 auto;
      }
      .placeholder {
        text-align: center;
        margin: 3rem 0;
      }
      .intro {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        background: var(--bg-subtle);
        padding: 0.75rem 1rem;
      }
      .intro-head {
        font-size: 0.8rem;
        margin-bottom: 0.3rem;
      }
    `,
  ];
}

customElements.define("sim-message-list", SimMessageList);

declare global {
  interface HTMLElementTagNameMap {
    "sim-message-list": SimMessageList;
  }
}
