/**
 * The left sidebar: the bots (with a form to register one by URL) and the conversations (new, open,
 * delete).
 */
import { css, html, LitElement, nothing } from "lit";
import type { BotRecord, ConversationRecord } from "../../src/model.ts";
import { formatAgo, formatDateTime } from "./format.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";

/** Bot handles as Poe allows them: letters, digits, `-`, `_`, `.`. */
const BOT_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.\\-]*";

export class SimSidebar extends LitElement {
  static override properties = {
    registering: { state: true },
  };

  declare registering: boolean;

  constructor() {
    super();
    new StoreController(this);
    this.registering = false;
  }

  /** Tells the app a choice was made, so a phone-width panel can close. */
  private navigated(): void {
    this.dispatchEvent(new CustomEvent("navigate", { bubbles: true, composed: true }));
  }

  private async register(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    const url = String(data.get("url") ?? "").trim();
    const accessKey = String(data.get("accessKey") ?? "").trim();
    if (!name || !url) return;
    this.registering = true;
    const ok = await store.registerBot(name, url, accessKey);
    this.registering = false;
    if (ok) form.reset();
  }

  private async chatWith(botName: string): Promise<void> {
    // Closed first on a phone, so the focused message box is not under the panel.
    this.navigated();
    await store.chatWith(botName);
  }

  private async newConversation(botName: string | null): Promise<void> {
    if (!botName) {
      store.toasts.show("Register or pick a bot first");
      return;
    }
    await store.newConversation(botName);
    this.navigated();
  }

  override render() {
    const botForNew = store.bot(store.selectedBotName)?.name ?? store.bots[0]?.name ?? null;
    return html`
      <section aria-labelledby="bots-heading">
        <div class="section-head"><h2 id="bots-heading">Bots</h2></div>
        ${
          store.bots.length
            ? html`<ul class="list">
                ${store.bots.map((bot) => this.renderBot(bot))}
              </ul>`
            : html`<p class="muted empty">${store.loaded ? "No bots yet: register one below." : "Loading…"}</p>`
        }
        <form class="register" data-testid="register-bot-form" @submit=${this.register}>
          <h3>Register a bot</h3>
          <label>
            <span>Name</span>
            <input
              name="name"
              required
              pattern=${BOT_NAME_PATTERN}
              autocomplete="off"
              spellcheck="false"
              placeholder="MyBot"
              title="Letters, digits, '-', '_' and '.'"
            />
          </label>
          <label>
            <span>URL</span>
            <input name="url" type="url" required placeholder="http://127.0.0.1:8080" spellcheck="false" />
          </label>
          <label>
            <span>Access key <span class="muted">(optional)</span></span>
            <input name="accessKey" type="password" autocomplete="off" />
          </label>
          <button class="primary" type="submit" ?disabled=${this.registering}>
            ${this.registering ? "Registering…" : "Register"}
          </button>
        </form>
      </section>
      <section aria-labelledby="conversations-heading">
        <div class="section-head">
          <h2 id="conversations-heading">Conversations</h2>
        </div>
        <div class="new-row">
          <label class="sr-only" for="new-bot">Bot for a new conversation</label>
          <select
            id="new-bot"
            .value=${botForNew ?? ""}
            ?disabled=${store.bots.length === 0}
            @change=${(event: Event) => store.selectBot((event.target as HTMLSelectElement).value)}
          >
            ${store.bots.map((bot) => html`<option value=${bot.name} ?selected=${bot.name === botForNew}>${bot.name}</option>`)}
          </select>
          <button
            class="primary"
            data-testid="new-conversation"
            ?disabled=${!botForNew}
            @click=${() => this.newConversation(botForNew)}
          >
            New chat
          </button>
        </div>
        ${
          store.conversations.length
            ? html`<ul class="list">
                ${store.conversations.map((conversation) => this.renderConversation(conversation))}
              </ul>`
            : html`<p class="muted empty">${store.loaded ? "No conversations yet." : ""}</p>`
        }
      </section>
    `;
  }

  private renderBot(bot: BotRecord) {
    const selected = bot.name === store.selectedBotName;
    return html`<li
      class="item ${selected ? "selected" : ""}"
      data-testid="bot-item"
      data-bot-name=${bot.name}
    >
      <button
        class="ghost main"
        data-testid="bot-chat"
        aria-current=${selected ? "true" : "false"}
        title=${`Write to ${bot.name}: its latest conversation, or a new one`}
        @click=${() => this.chatWith(bot.name)}
      >
        <span class="name">${bot.name}</span>
        <span class="sub muted">
          ${bot.kind === "url" ? bot.url : bot.kind === "builtin" ? "built-in" : "model"}
        </span>
        ${
          bot.settingsError
            ? html`<span class="sub warn" title=${bot.settingsError}>⚠ settings: ${bot.settingsError}</span>`
            : nothing
        }
      </button>
      <div class="actions">
        <button
          class="ghost"
          aria-label=${`New conversation with ${bot.name}`}
          title="New conversation"
          @click=${() => this.newConversation(bot.name)}
        >
          +
        </button>
        ${
          bot.kind === "url"
            ? html`<button
                class="ghost danger"
                aria-label=${`Remove bot ${bot.name}`}
                title="Remove"
                @click=${() => store.deleteBot(bot.name)}
              >
                ✕
              </button>`
            : nothing
        }
      </div>
    </li>`;
  }

  private renderConversation(conversation: ConversationRecord) {
    const current = conversation.id === store.conversationId;
    const title = conversation.title || "Untitled conversation";
    return html`<li
      class="item ${current ? "selected" : ""}"
      data-testid="conversation-item"
      data-conversation-id=${conversation.id}
      data-bot-name=${conversation.botName}
    >
      <button
        class="ghost main"
        aria-current=${current ? "true" : "false"}
        title=${formatDateTime(conversation.updatedAt)}
        @click=${() => {
          if (!current) void store.openConversation(conversation.id);
          this.navigated();
        }}
      >
        <span class="name">${title}</span>
        <span class="sub muted">${conversation.botName} · ${formatAgo(conversation.updatedAt)}</span>
      </button>
      <div class="actions">
        <button
          class="ghost danger"
          aria-label=${`Delete conversation ${title}`}
          title="Delete"
          @click=${() => store.deleteConversation(conversation.id)}
        >
          ✕
        </button>
      </div>
    </li>`;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.6rem 0.5rem 1rem;
      }
      section + section {
        margin-top: 1.2rem;
      }
      .section-head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        padding: 0 0.4rem 0.4rem;
      }
      .list {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .item {
        display: flex;
        align-items: stretch;
        border-radius: 6px;
      }
      .item.selected {
        background: var(--accent-soft);
      }
      .item .main {
        flex: 1;
        min-width: 0;
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        text-align: left;
        gap: 0.1rem;
        padding: 0.35rem 0.5rem;
      }
      .item .main[aria-current="true"] {
        background: transparent;
        border-color: transparent;
      }
      .name {
        font-weight: 600;
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .sub {
        font-size: 0.78rem;
        max-width: 100%;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .warn {
        color: var(--warning);
      }
      .actions {
        display: flex;
        align-items: center;
        opacity: 0.65;
      }
      .item:hover .actions,
      .item:focus-within .actions {
        opacity: 1;
      }
      .actions button {
        padding: 0.2rem 0.45rem;
      }
      .empty {
        font-size: 0.85rem;
        padding: 0 0.5rem;
        margin: 0.2rem 0;
      }
      .register {
        display: grid;
        gap: 0.4rem;
        margin: 0.8rem 0.4rem 0;
        padding: 0.6rem;
        border: 1px solid var(--border);
        border-radius: var(--radius);
        background: var(--bg);
      }
      .register label {
        display: grid;
        gap: 0.15rem;
        font-size: 0.82rem;
      }
      .register button {
        justify-self: start;
      }
      .new-row {
        display: flex;
        gap: 0.4rem;
        padding: 0 0.4rem 0.5rem;
      }
      .new-row select {
        flex: 1;
        min-width: 0;
      }
    `,
  ];
}

customElements.define("sim-sidebar", SimSidebar);

declare global {
  interface HTMLElementTagNameMap {
    "sim-sidebar": SimSidebar;
  }
}
