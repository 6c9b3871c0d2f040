/**
 * The page's frame: header, the sidebar on the left, the chat in the middle, the inspector and settings on
 * the right. Under 800 px the sidebar and the right panel become panels toggled from the header.
 */
import { css, html, LitElement, nothing } from "lit";
import type { SimComposer } from "./composer.ts";
import { formatDollars } from "./format.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base, palette } from "./styles.ts";
import "./sidebar.ts";
import "./message-list.ts";
import "./composer.ts";
import "./stale-banner.ts";
import "./inspector.ts";
import "./bot-settings.ts";
import "./toasts.ts";

type PanelTab = "inspector" | "settings";

const NARROW = "(max-width: 800px)";

export class SimApp extends LitElement {
  static override properties = {
    narrow: { state: true },
    sidebarOpen: { state: true },
    panelOpen: { state: true },
    panelTab: { state: true },
    dragging: { state: true },
  };

  declare narrow: boolean;
  declare sidebarOpen: boolean;
  declare panelOpen: boolean;
  declare panelTab: PanelTab;
  declare dragging: boolean;

  private readonly media = matchMedia(NARROW);
  private dragDepth = 0;
  private started = false;

  constructor() {
    super();
    new StoreController(this);
    this.narrow = this.media.matches;
    this.sidebarOpen = false;
    this.panelOpen = !this.narrow;
    this.panelTab = "inspector";
    this.dragging = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.media.addEventListener("change", this.onMediaChange);
    addEventListener("keydown", this.onKeydown);
    if (!this.started) {
      this.started = true;
      void store.start();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.media.removeEventListener("change", this.onMediaChange);
    removeEventListener("keydown", this.onKeydown);
  }

  private onMediaChange = (event: MediaQueryListEvent) => {
    this.narrow = event.matches;
    this.sidebarOpen = false;
    this.panelOpen = !event.matches;
  };

  private onKeydown = (event: KeyboardEvent) => {
    if (event.key === "Escape" && this.narrow && (this.sidebarOpen || this.panelOpen)) {
      this.closeOverlays();
    }
  };

  private closeOverlays(): void {
    this.sidebarOpen = false;
    if (this.narrow) this.panelOpen = false;
  }

  private toggleSidebar(): void {
    this.sidebarOpen = !this.sidebarOpen;
    if (this.sidebarOpen && this.narrow) this.panelOpen = false;
  }

  private togglePanel(tab?: PanelTab): void {
    if (tab && tab !== this.panelTab) {
      this.panelTab = tab;
      this.panelOpen = true;
    } else {
      this.panelOpen = !this.panelOpen;
    }
    if (this.panelOpen && this.narrow) this.sidebarOpen = false;
  }

  private get composer(): SimComposer | null {
    return this.renderRoot.querySelector("sim-composer");
  }

  private hasFiles(event: DragEvent): boolean {
    return event.dataTransfer?.types.includes("Files") ?? false;
  }

  private onDragEnter(event: DragEvent): void {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    this.dragDepth++;
    this.dragging = true;
  }

  private onDragOver(event: DragEvent): void {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  }

  private onDragLeave(event: DragEvent): void {
    if (!this.hasFiles(event)) return;
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dragging = false;
  }

  private onDrop(event: DragEvent): void {
    if (!this.hasFiles(event)) return;
    event.preventDefault();
    this.dragDepth = 0;
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length) void this.composer?.addFiles(files);
  }

  override render() {
    const conversation = store.conversation;
    const bot = store.bot(conversation?.botName);
    const connection = store.connection;
    const connectionText =
      connection === "open" ? "Live" : connection === "connecting" ? "Connecting…" : "Reconnecting…";
    const violationTotal = store.inspectedMessageId ? store.violationCount(store.inspectedMessageId) : 0;
    return html`
      <header class="bar">
        <button
          class="ghost only-narrow"
          aria-label="Bots and conversations"
          aria-controls="sidebar"
          aria-expanded=${this.sidebarOpen ? "true" : "false"}
          @click=${this.toggleSidebar}
        >
          ☰
        </button>
        <h1>poekit simulator${store.version ? html` <span class="version">v${store.version}</span>` : nothing}</h1>
        <span class="connection ${connection}" role="status" title="The page's event stream from the simulator">
          <span class="dot" aria-hidden="true"></span>${connectionText}
        </span>
        <span class="spacer"></span>
        <button
          class="ghost balance"
          data-testid="balance"
          aria-label=${`Balance ${formatDollars(store.balance)}: change it`}
          title="Balance in milli-cents of a US dollar; click to change it"
          @click=${() => this.togglePanel("settings")}
        >
          ${formatDollars(store.balance)}
        </button>
        <button
          class="panel-toggle"
          aria-controls="panel"
          aria-expanded=${this.panelOpen ? "true" : "false"}
          @click=${() => this.togglePanel()}
        >
          Inspector${violationTotal ? html` <span class="badge bad">${violationTotal}</span>` : nothing}
        </button>
      </header>
      <div class="body ${this.panelOpen ? "with-panel" : ""}">
        <aside
          id="sidebar"
          class="sidebar"
          aria-label="Bots and conversations"
          ?hidden=${this.narrow && !this.sidebarOpen}
        >
          <sim-sidebar @navigate=${() => this.narrow && this.closeOverlays()}></sim-sidebar>
        </aside>
        <main
          class="chat"
          @dragenter=${this.onDragEnter}
          @dragover=${this.onDragOver}
          @dragleave=${this.onDragLeave}
          @drop=${this.onDrop}
        >
          <div class="chat-title">
            ${
              conversation
                ? html`<h2 class="title">${conversation.title || "Untitled conversation"}</h2>
                    <span class="muted">with ${conversation.botName}${bot ? nothing : " (not registered)"}</span>`
                : html`<h2 class="title">No conversation open</h2>`
            }
          </div>
          <sim-message-list></sim-message-list>
          <sim-stale-banner></sim-stale-banner>
          <sim-composer></sim-composer>
          ${this.dragging ? html`<div class="drop-overlay" aria-hidden="true">Drop files to attach them</div>` : nothing}
        </main>
        <aside id="panel" class="panel" aria-label="Inspector and settings" ?hidden=${!this.panelOpen}>
          <div class="tabs" role="tablist" aria-label="Right panel">
            ${this.tab("inspector", "Inspector")} ${this.tab("settings", "Bot & balance")}
            <button class="ghost close only-narrow" aria-label="Close the panel" @click=${() => this.togglePanel()}>
              ✕
            </button>
          </div>
          <div id="panel-body" class="panel-body" role="tabpanel" aria-label=${this.panelTab === "inspector" ? "Inspector" : "Bot & balance"}>
            ${this.panelTab === "inspector" ? html`<sim-inspector></sim-inspector>` : html`<sim-bot-settings></sim-bot-settings>`}
          </div>
        </aside>
        ${
          this.narrow && (this.sidebarOpen || this.panelOpen)
            ? html`<div class="backdrop" aria-hidden="true" @click=${this.closeOverlays}></div>`
            : nothing
        }
      </div>
      <sim-toasts></sim-toasts>
    `;
  }

  private tab(id: PanelTab, label: string) {
    const selected = this.panelTab === id;
    return html`<button
      role="tab"
      class="tab"
      aria-controls="panel-body"
      aria-selected=${selected ? "true" : "false"}
      tabindex=${selected ? 0 : -1}
      @click=${() => {
        this.panelTab = id;
      }}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
          this.panelTab = this.panelTab === "inspector" ? "settings" : "inspector";
          void this.updateComplete.then(() =>
            this.renderRoot.querySelector<HTMLButtonElement>('[role="tab"][aria-selected="true"]')?.focus(),
          );
        }
      }}
    >
      ${label}
    </button>`;
  }

  static override styles = [
    palette,
    base,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 100vh;
        height: 100dvh;
        background: var(--bg);
        color: var(--text);
        font-size: 0.95rem;
        overflow: hidden;
      }
      .bar {
        display: flex;
        align-items: center;
        gap: 0.6rem;
        padding: 0.4rem 0.8rem;
        border-bottom: 1px solid var(--border);
        background: var(--bg-subtle);
        min-height: 2.8rem;
      }
      .bar > * {
        flex-shrink: 0;
      }
      h1 {
        font-size: 1rem;
        margin: 0;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        min-width: 0;
      }
      .bar > h1 {
        flex-shrink: 1;
      }
      .version {
        font-weight: 400;
        font-size: 0.8rem;
        color: var(--text-muted);
      }
      .connection {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        font-size: 0.8rem;
        color: var(--text-muted);
      }
      .dot {
        width: 0.55rem;
        height: 0.55rem;
        border-radius: 50%;
        background: var(--warning);
      }
      .connection.open .dot {
        background: var(--ok);
      }
      .spacer {
        flex: 1;
      }
      .balance {
        font-variant-numeric: tabular-nums;
      }
      .body {
        flex: 1;
        min-height: 0;
        display: grid;
        grid-template-columns: 17rem minmax(0, 1fr);
        position: relative;
      }
      .body.with-panel {
        grid-template-columns: 17rem minmax(0, 1fr) minmax(22rem, 34%);
      }
      .sidebar {
        border-right: 1px solid var(--border);
        background: var(--bg-subtle);
        overflow: auto;
        min-height: 0;
      }
      .chat {
        display: flex;
        flex-direction: column;
        min-width: 0;
        min-height: 0;
        position: relative;
      }
      .chat-title {
        display: flex;
        align-items: baseline;
        gap: 0.5rem;
        padding: 0.6rem 1rem;
        border-bottom: 1px solid var(--border);
        min-width: 0;
      }
      .chat-title .title {
        font-size: 1rem;
        text-transform: none;
        letter-spacing: 0;
        color: var(--text);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .chat-title .muted {
        font-size: 0.85rem;
        white-space: nowrap;
      }
      sim-message-list {
        flex: 1;
        min-height: 0;
      }
      .drop-overlay {
        position: absolute;
        inset: 0.5rem;
        border: 2px dashed var(--accent);
        border-radius: var(--radius);
        background: color-mix(in srgb, var(--accent-soft) 85%, transparent);
        display: grid;
        place-items: center;
        font-weight: 600;
        pointer-events: none;
        z-index: 5;
      }
      .panel {
        border-left: 1px solid var(--border);
        display: flex;
        flex-direction: column;
        min-height: 0;
        min-width: 0;
        background: var(--bg);
      }
      .tabs {
        display: flex;
        gap: 0.25rem;
        padding: 0.4rem 0.6rem 0;
        border-bottom: 1px solid var(--border);
      }
      .tab {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: transparent;
        padding: 0.4rem 0.6rem;
      }
      .tab[aria-selected="true"] {
        border-bottom-color: var(--accent);
        font-weight: 600;
      }
      .tabs .close {
        margin-left: auto;
      }
      .panel-body {
        flex: 1;
        min-height: 0;
        overflow: auto;
      }
      .only-narrow {
        display: none;
      }
      .backdrop {
        position: absolute;
        inset: 0;
        background: rgb(0 0 0 / 0.35);
        z-index: 10;
      }
      @media (max-width: 800px) {
        .only-narrow {
          display: inline-block;
        }
        h1 .version,
        .connection {
          font-size: 0;
          gap: 0;
        }
        .body,
        .body.with-panel {
          grid-template-columns: minmax(0, 1fr);
        }
        .sidebar,
        .panel {
          position: absolute;
          top: 0;
          bottom: 0;
          z-index: 20;
          width: min(92vw, 24rem);
          box-shadow: var(--shadow);
        }
        .sidebar {
          left: 0;
        }
        .panel {
          right: 0;
        }
      }
    `,
  ];
}

customElements.define("sim-app", SimApp);

declare global {
  interface HTMLElementTagNameMap {
    "sim-app": SimApp;
  }
}
