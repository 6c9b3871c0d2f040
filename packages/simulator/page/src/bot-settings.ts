/**
 * The settings and state area: the balance (editable), and a bot's settings as the simulator applies them
 * and as the bot sent them, with a button to fetch them again.
 */
import { css, html, LitElement, nothing } from "lit";
import type { BotRecord } from "../../src/model.ts";
import { formatDateTime, formatDollars, prettyJson } from "./format.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";

export class SimBotSettings extends LitElement {
  static override properties = {
    balanceDraft: { state: true },
    savingBalance: { state: true },
    refetching: { state: true },
  };

  /** The balance being typed, or null while the field shows the current balance. */
  declare balanceDraft: string | null;
  declare savingBalance: boolean;
  declare refetching: boolean;

  constructor() {
    super();
    new StoreController(this);
    this.balanceDraft = null;
    this.savingBalance = false;
    this.refetching = false;
  }

  private async saveBalance(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const draft = this.balanceDraft;
    if (draft === null) return;
    const value = Number(draft);
    if (!Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
      store.toasts.show("The balance is a whole number of milli-cents, 0 or more");
      return;
    }
    this.savingBalance = true;
    const ok = await store.setBalance(value);
    this.savingBalance = false;
    if (ok) this.balanceDraft = null;
  }

  private async refetch(bot: BotRecord): Promise<void> {
    this.refetching = true;
    await store.refetchSettings(bot.name);
    this.refetching = false;
  }

  override render() {
    const bot = store.selectedBot;
    const shown = this.balanceDraft ?? String(store.balance);
    return html`
      <section aria-labelledby="balance-heading">
        <h2 id="balance-heading">Balance</h2>
        <form class="balance" @submit=${this.saveBalance}>
          <label for="balance-input">Milli-cents of a US dollar</label>
          <div class="row">
            <input
              id="balance-input"
              data-testid="balance-input"
              type="number"
              min="0"
              step="1"
              inputmode="numeric"
              .value=${shown}
              @input=${(event: Event) => {
                this.balanceDraft = (event.target as HTMLInputElement).value;
              }}
            />
            <button class="primary" type="submit" ?disabled=${this.balanceDraft === null || this.savingBalance}>
              Save
            </button>
            <button
              type="button"
              class="ghost"
              ?disabled=${this.balanceDraft === null}
              @click=${() => {
                this.balanceDraft = null;
              }}
            >
              Cancel
            </button>
          </div>
          <p class="muted small">
            ${formatDollars(store.balance)} now. Bots' <span class="mono">authorize_cost</span> calls draw on it.
          </p>
        </form>
      </section>
      ${bot ? this.renderBot(bot) : html`<p class="muted">No bot selected.</p>`}
      <p class="muted small about">
        ${store.version ? `Simulator ${store.version}. ` : ""}Files the bots receive stay reachable for
        ${store.fileTtlSeconds} s.
      </p>
    `;
  }

  private renderBot(bot: BotRecord) {
    const { raw, ...applied } = bot.settings;
    return html`<section aria-labelledby="bot-heading">
      <h2 id="bot-heading">Bot</h2>
      <div class="bot-head">
        <label class="sr-only" for="bot-select">Bot</label>
        <select
          id="bot-select"
          @change=${(event: Event) => store.selectBot((event.target as HTMLSelectElement).value)}
        >
          ${store.bots.map((b) => html`<option value=${b.name} ?selected=${b.name === bot.name}>${b.name}</option>`)}
        </select>
        <button
          data-testid="refetch-settings"
          ?disabled=${this.refetching}
          @click=${() => this.refetch(bot)}
        >
          ${this.refetching ? "Fetching…" : "Refetch settings"}
        </button>
      </div>
      <dl class="facts">
        <div><dt>Kind</dt><dd>${bot.kind}</dd></div>
        <div><dt>URL</dt><dd class="mono">${bot.url}</dd></div>
        <div>
          <dt>Access key</dt>
          <dd data-testid="access-key">
            ${
              bot.generatedAccessKey === null
                ? "configured"
                : html`none given; sent <span class="mono">${bot.generatedAccessKey}</span>`
            }
          </dd>
        </div>
        <div>
          <dt>Settings fetched</dt>
          <dd>${bot.settingsUpdatedAt ? formatDateTime(bot.settingsUpdatedAt) : "never"}</dd>
        </div>
      </dl>
      ${
        bot.settingsError
          ? html`<p class="error" role="alert">The last settings fetch failed: ${bot.settingsError}</p>`
          : nothing
      }
      <details open>
        <summary>Settings as applied</summary>
        <pre class="json" data-testid="bot-settings-json">${prettyJson(applied)}</pre>
      </details>
      <details>
        <summary>Settings as the bot sent them</summary>
        <pre class="json">${prettyJson(raw)}</pre>
      </details>
    </section>`;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        padding: 0.75rem;
        font-size: 0.88rem;
      }
      section + section {
        margin-top: 1.2rem;
      }
      h2 {
        margin-bottom: 0.4rem;
      }
      .balance {
        display: grid;
        gap: 0.3rem;
      }
      .row,
      .bot-head {
        display: flex;
        gap: 0.4rem;
        align-items: center;
        flex-wrap: wrap;
      }
      .row input {
        width: 11rem;
        font-variant-numeric: tabular-nums;
      }
      .small {
        font-size: 0.78rem;
        margin: 0;
      }
      .facts {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.2rem 0.8rem;
        margin: 0.6rem 0;
      }
      .facts div {
        display: contents;
      }
      .facts dt {
        color: var(--text-muted);
      }
      .facts dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .error {
        color: var(--danger);
        background: var(--danger-soft);
        border: 1px solid var(--danger);
        border-radius: 6px;
        padding: 0.4rem 0.6rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        margin-top: 0.4rem;
      }
      .about {
        margin-top: 1.5rem;
      }
    `,
  ];
}

customElements.define("sim-bot-settings", SimBotSettings);

declare global {
  interface HTMLElementTagNameMap {
    "sim-bot-settings": SimBotSettings;
  }
}
