/**
 * Writing a message: the text (Enter sends, Shift+Enter is a new line, `@` offers bot names), attachments
 * (button, drag and drop, paste), the bot's parameter controls, and clearing the context.
 */
import { css, html, LitElement, nothing } from "lit";
import { live } from "lit/directives/live.js";
import type { UploadedFile } from "../../src/model.ts";
import { findMention, insertMention, type MentionQuery, matchNames } from "./mentions.ts";
import type { ParameterValues } from "./parameters.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";
import "./parameter-form.ts";

/** An attachment in the composer: being uploaded, or uploaded and ready to send. */
interface PendingFile {
  key: number;
  name: string;
  contentType: string;
  size: number;
  uploaded: UploadedFile | null;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class SimComposer extends LitElement {
  static override properties = {
    text: { state: true },
    files: { state: true },
    sending: { state: true },
    mention: { state: true },
    mentionIndex: { state: true },
  };

  declare text: string;
  declare files: PendingFile[];
  declare sending: boolean;
  declare mention: (MentionQuery & { options: string[] }) | null;
  declare mentionIndex: number;

  private nextKey = 1;
  /** The store's focus requests this composer has answered. */
  private focusRequestsSeen = 0;

  constructor() {
    super();
    new StoreController(this);
    this.text = "";
    this.files = [];
    this.sending = false;
    this.mention = null;
    this.mentionIndex = 0;
  }

  private get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector("textarea");
  }

  /** Takes the focus the store asked for, once there is a conversation to write to. */
  override updated(): void {
    if (store.composerFocusRequests === this.focusRequestsSeen || !store.conversation) return;
    this.focusRequestsSeen = store.composerFocusRequests;
    this.textarea?.focus();
  }

  private get fileInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input[type="file"]');
  }

  /** Why attachments are off for the open conversation, or null when they are on. */
  private attachmentsBlocked(): string | null {
    const conversation = store.conversation;
    if (!conversation) return "Open a conversation to attach files.";
    const bot = store.bot(conversation.botName);
    if (bot && !bot.settings.allowAttachments) {
      return `${bot.name} does not accept attachments (its settings have allow_attachments off).`;
    }
    return null;
  }

  /** Uploads files and adds them to the message being written. */
  async addFiles(files: File[]): Promise<void> {
    const blocked = this.attachmentsBlocked();
    if (blocked) {
      store.toasts.show(blocked);
      return;
    }
    await Promise.all(
      files.map(async (file) => {
        const pending: PendingFile = {
          key: this.nextKey++,
          name: file.name,
          contentType: file.type || "application/octet-stream",
          size: file.size,
          uploaded: null,
        };
        this.files = [...this.files, pending];
        const uploaded = await store.upload(file);
        this.files = uploaded
          ? this.files.map((f) => (f.key === pending.key ? { ...f, uploaded } : f))
          : this.files.filter((f) => f.key !== pending.key);
      }),
    );
  }

  private removeFile(key: number): void {
    this.files = this.files.filter((file) => file.key !== key);
    this.textarea?.focus();
  }

  private get uploading(): boolean {
    return this.files.some((file) => !file.uploaded);
  }

  private canSend(): boolean {
    return !!store.conversation && !this.uploading && (this.text.trim() !== "" || this.files.length > 0);
  }

  private async send(): Promise<void> {
    if (!this.canSend()) return;
    this.sending = true;
    // Cleared at once, not when the server answers: what the user types meanwhile is the next message,
    // and must not be wiped by the answer to this one.
    const text = this.text;
    const files = this.files;
    const ids = files.flatMap((file) => (file.uploaded ? [file.uploaded.id] : []));
    this.text = "";
    this.files = [];
    this.mention = null;
    await this.updateComplete;
    this.resize();
    const ok = await store.send(text.trim(), ids);
    this.sending = false;
    if (!ok && this.text === "" && this.files.length === 0) {
      // Nothing was sent: give the message back to edit or send again.
      this.text = text;
      this.files = files;
      await this.updateComplete;
      this.resize();
    }
    this.textarea?.focus();
  }

  private resize(): void {
    const textarea = this.textarea;
    if (!textarea) return;
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 240)}px`;
  }

  private updateMention(textarea: HTMLTextAreaElement): void {
    const query = findMention(textarea.value, textarea.selectionStart ?? textarea.value.length);
    const options = query
      ? matchNames(
          store.bots.map((bot) => bot.name),
          query.query,
        )
      : [];
    if (query && options.length) {
      const same = this.mention?.start === query.start;
      this.mention = { ...query, options };
      if (!same) this.mentionIndex = 0;
      else this.mentionIndex = Math.min(this.mentionIndex, options.length - 1);
    } else {
      this.mention = null;
    }
  }

  private chooseMention(name: string): void {
    const mention = this.mention;
    const textarea = this.textarea;
    if (!mention || !textarea) return;
    const next = insertMention(this.text, mention, name);
    this.text = next.text;
    this.mention = null;
    void this.updateComplete.then(() => {
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
      this.resize();
    });
  }

  private onInput(event: InputEvent): void {
    const textarea = event.target as HTMLTextAreaElement;
    this.text = textarea.value;
    this.updateMention(textarea);
    this.resize();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.isComposing || event.keyCode === 229) return;
    const mention = this.mention;
    if (mention) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        this.mentionIndex = (this.mentionIndex + step + mention.options.length) % mention.options.length;
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        const name = mention.options[this.mentionIndex];
        if (name) {
          event.preventDefault();
          this.chooseMention(name);
          return;
        }
      }
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.mention = null;
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void this.send();
    }
  }

  private onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    void this.addFiles(files);
  }

  private onFilesChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = "";
    if (files.length) void this.addFiles(files);
  }

  override render() {
    const conversation = store.conversation;
    const bot = store.bot(conversation?.botName);
    const controls = bot?.settings.parameterControls ?? null;
    const values = bot ? store.parametersFor(bot.name) : null;
    const blocked = this.attachmentsBlocked();
    const mention = this.mention;
    const activeOption = mention ? `mention-${this.mentionIndex}` : "";
    return html`
      ${
        bot && controls && values
          ? html`<sim-parameter-form
              .controls=${controls}
              .values=${values}
              .botName=${bot.name}
              @parameters-change=${(event: CustomEvent<ParameterValues>) => store.setParameters(bot.name, event.detail)}
            ></sim-parameter-form>`
          : nothing
      }
      ${
        this.files.length
          ? html`<ul class="chips" aria-label="Attachments to send">
              ${this.files.map(
                (
                  file,
                ) => html`<li class="chip ${file.uploaded ? "" : "uploading"}" data-testid="pending-attachment">
                  <span class="name" title=${file.contentType}>${file.name}</span>
                  <span class="muted">${file.uploaded ? formatSize(file.size) : "uploading…"}</span>
                  <button class="ghost mini" aria-label=${`Remove ${file.name}`} @click=${() => this.removeFile(file.key)}>
                    ✕
                  </button>
                </li>`,
              )}
            </ul>`
          : nothing
      }
      <div class="row">
        <button
          class="attach"
          aria-label="Attach files"
          title=${blocked ?? "Attach files (or drop them on the chat, or paste them)"}
          aria-describedby=${blocked ? "attach-note" : nothing}
          ?disabled=${blocked !== null}
          @click=${() => this.fileInput?.click()}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M21 11.5 12.4 20a5.5 5.5 0 0 1-7.8-7.8l8.6-8.5a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.5a1.8 1.8 0 0 1-2.6-2.6l7.9-7.8"
              fill="none"
              stroke="currentColor"
              stroke-width="1.8"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
        </button>
        <input
          type="file"
          multiple
          hidden
          data-testid="attach-input"
          aria-label="Files to attach"
          ?disabled=${blocked !== null}
          @change=${this.onFilesChosen}
        />
        <div class="input-wrap">
          <textarea
            data-testid="composer-input"
            aria-label="Message"
            rows="1"
            placeholder=${conversation ? `Message ${conversation.botName}` : "Open a conversation to write"}
            ?disabled=${!conversation}
            .value=${live(this.text)}
            aria-autocomplete="list"
            aria-controls="mentions"
            aria-activedescendant=${activeOption || nothing}
            aria-describedby="composer-help"
            @input=${this.onInput}
            @keydown=${this.onKeydown}
            @paste=${this.onPaste}
            @click=${(event: Event) => this.updateMention(event.target as HTMLTextAreaElement)}
            @blur=${() => {
              this.mention = null;
            }}
          ></textarea>
          <ul id="mentions" class="mentions" role="listbox" aria-label="Bots to mention" ?hidden=${!mention}>
            ${(mention?.options ?? []).map(
              (name, index) =>
                html`<li
                  id=${`mention-${index}`}
                  role="option"
                  aria-selected=${index === this.mentionIndex ? "true" : "false"}
                  @mousedown=${(event: MouseEvent) => {
                    event.preventDefault();
                    this.chooseMention(name);
                  }}
                >
                  @${name}
                </li>`,
            )}
          </ul>
        </div>
        <button
          class="primary send"
          data-testid="send-button"
          ?disabled=${!this.canSend()}
          @click=${() => this.send()}
        >
          ${this.sending ? "Sending…" : "Send"}
        </button>
      </div>
      <div class="toolbar">
        <span id="composer-help" class="muted">Enter sends · Shift+Enter new line · @ mentions a bot</span>
        ${blocked && conversation ? html`<span id="attach-note" class="note">${blocked}</span>` : nothing}
        <button
          class="ghost"
          data-testid="clear-context"
          ?disabled=${!conversation}
          title="Start a new context: the bot no longer sees the messages above"
          @click=${() => store.clearContext()}
        >
          Clear context
        </button>
      </div>
    `;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        border-top: 1px solid var(--border);
        padding: 0.6rem 1rem 0.5rem;
        background: var(--bg);
      }
      .row {
        display: flex;
        align-items: flex-end;
        gap: 0.5rem;
        max-width: 52rem;
        margin: 0 auto;
      }
      .input-wrap {
        flex: 1;
        position: relative;
        min-width: 0;
      }
      textarea {
        display: block;
        width: 100%;
        resize: none;
        min-height: 2.4rem;
        max-height: 15rem;
        line-height: 1.4;
        padding: 0.5rem 0.6rem;
      }
      .attach,
      .send {
        height: 2.4rem;
      }
      .attach {
        display: inline-grid;
        place-items: center;
        width: 2.4rem;
        padding: 0;
      }
      .mentions {
        position: absolute;
        bottom: calc(100% + 0.25rem);
        left: 0;
        min-width: 12rem;
        margin: 0;
        padding: 0.25rem;
        list-style: none;
        background: var(--bg);
        border: 1px solid var(--border);
        border-radius: 6px;
        box-shadow: var(--shadow);
        z-index: 5;
      }
      .mentions li {
        padding: 0.3rem 0.5rem;
        border-radius: 4px;
        cursor: pointer;
      }
      .mentions li[aria-selected="true"] {
        background: var(--accent-soft);
      }
      .chips {
        list-style: none;
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        margin: 0 auto 0.5rem;
        padding: 0;
        max-width: 52rem;
      }
      .chip {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        border: 1px solid var(--border);
        border-radius: 999px;
        padding: 0.1rem 0.2rem 0.1rem 0.6rem;
        font-size: 0.82rem;
        background: var(--bg-subtle);
        max-width: 100%;
      }
      .chip.uploading {
        border-style: dashed;
      }
      .chip .name {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        max-width: 14rem;
      }
      .mini {
        padding: 0 0.35rem;
        font-size: 0.75rem;
      }
      .toolbar {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: 0.3rem 0.75rem;
        max-width: 52rem;
        margin: 0.35rem auto 0;
        font-size: 0.78rem;
      }
      .toolbar button {
        margin-left: auto;
        font-size: 0.8rem;
      }
      .note {
        color: var(--warning);
      }
      sim-parameter-form {
        max-width: 52rem;
        margin: 0 auto 0.5rem;
      }
    `,
  ];
}

customElements.define("sim-composer", SimComposer);

declare global {
  interface HTMLElementTagNameMap {
    "sim-composer": SimComposer;
  }
}
