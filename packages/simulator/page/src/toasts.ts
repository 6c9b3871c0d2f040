/** Notifications: failed requests (kept until dismissed) and short confirmations (gone after a while). */
import { css, html, LitElement } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";
import type { Toast } from "./toast-queue.ts";

/** How long an info toast stays, in ms. */
const INFO_TTL = 4000;

export class SimToasts extends LitElement {
  private timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    new StoreController(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  override updated(): void {
    for (const toast of store.toasts.items) {
      if (toast.kind === "info" && !this.timers.has(toast.id)) {
        this.timers.set(
          toast.id,
          setTimeout(() => store.toasts.dismiss(toast.id), INFO_TTL),
        );
      }
    }
    for (const [id, timer] of this.timers) {
      if (!store.toasts.items.some((toast) => toast.id === id)) {
        clearTimeout(timer);
        this.timers.delete(id);
      }
    }
  }

  override render() {
    return html`<div class="stack" role="region" aria-label="Notifications">
      ${repeat(
        store.toasts.items,
        (toast) => toast.id,
        (toast: Toast) => html`<div
          class="toast ${toast.kind}"
          data-testid="toast"
          data-kind=${toast.kind}
          role=${toast.kind === "error" ? "alert" : "status"}
        >
          <span class="text">${toast.text}</span>
          <button class="ghost" aria-label="Dismiss" @click=${() => store.toasts.dismiss(toast.id)}>✕</button>
        </div>`,
      )}
    </div>`;
  }

  static override styles = [
    base,
    css`
      :host {
        position: fixed;
        right: 1rem;
        bottom: 1rem;
        z-index: 100;
        max-width: min(28rem, calc(100vw - 2rem));
      }
      .stack {
        display: grid;
        gap: 0.5rem;
      }
      .toast {
        display: flex;
        align-items: flex-start;
        gap: 0.5rem;
        padding: 0.55rem 0.5rem 0.55rem 0.8rem;
        border-radius: var(--radius);
        border: 1px solid var(--border);
        background: var(--bg);
        box-shadow: var(--shadow);
        font-size: 0.88rem;
      }
      .toast.error {
        border-color: var(--danger);
        background: var(--danger-soft);
        color: var(--danger);
      }
      .text {
        flex: 1;
        overflow-wrap: anywhere;
        padding-top: 0.15rem;
      }
      button {
        padding: 0.1rem 0.4rem;
      }
    `,
  ];
}

customElements.define("sim-toasts", SimToasts);

declare global {
  interface HTMLElementTagNameMap {
    "sim-toasts": SimToasts;
  }
}
