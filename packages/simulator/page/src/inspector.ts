/**
 * The inspector: for one bot message, every request the simulator sent on its behalf (calls the bot made to
 * other bots through the bot query API nested under it), with the request JSON, status, timings, protocol
 * violations and the raw events as they arrived.
 */
import { css, html, LitElement, nothing } from "lit";
import type { ExchangeRecord, RawEventRecord } from "../../src/model.ts";
import { formatMs, formatTime, prettyJson, prettyJsonText, truncate } from "./format.ts";
import { store } from "./store.ts";
import { StoreController } from "./store-controller.ts";
import { base } from "./styles.ts";

/** How many characters of an event's data a row shows before "expand". */
const DATA_PREVIEW = 140;
/**
 * How many rows an exchange shows at first, and how many more each "show more" adds: an answer may have
 * 10,000 events, and rendering them all at once would stall the page.
 */
const ROW_PAGE = 500;

const rowKey = (event: RawEventRecord) => `${event.exchangeId}:${event.seq}`;

/** An event's data on one line, cut to the preview's length; worked out once per event, not per render. */
const previews = new WeakMap<RawEventRecord, { text: string; long: boolean }>();
function previewOf(event: RawEventRecord): { text: string; long: boolean } {
  let preview = previews.get(event);
  if (!preview) {
    // Cut before collapsing whitespace, so a huge event costs no more than a small one.
    const head = event.data.slice(0, DATA_PREVIEW * 4).replace(/\s*\n\s*/g, " ");
    preview = {
      text: truncate(head, DATA_PREVIEW),
      long: event.data.length > DATA_PREVIEW || event.data.includes("\n"),
    };
    previews.set(event, preview);
  }
  return preview;
}

export class SimInspector extends LitElement {
  static override properties = {
    expanded: { state: true },
    rowLimits: { state: true },
    revealed: { state: true },
  };

  /** Rows whose data is shown in full, as `exchangeId:seq`. */
  declare expanded: Set<string>;
  /** How many rows each exchange shows, by exchange id, when more than the first page. */
  declare rowLimits: Map<string, number>;
  /** Rows shown beyond an exchange's limit because a violation pointed at them, as `exchangeId:seq`. */
  declare revealed: Set<string>;

  constructor() {
    super();
    new StoreController(this);
    this.expanded = new Set();
    this.rowLimits = new Map();
    this.revealed = new Set();
  }

  private lastInspected: string | null = null;

  override willUpdate(): void {
    const id = store.inspectedMessageId;
    if (id !== this.lastInspected) {
      this.lastInspected = id;
      if (id) void store.fetchExchanges(id);
    }
  }

  private toggleRow(key: string): void {
    const next = new Set(this.expanded);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.expanded = next;
  }

  private showMore(exchangeId: string): void {
    const limit = this.rowLimits.get(exchangeId) ?? ROW_PAGE;
    this.rowLimits = new Map(this.rowLimits).set(exchangeId, limit + ROW_PAGE);
  }

  /** Scrolls to the row of the event a violation names, showing that row if it was beyond the limit. */
  private async revealRow(exchangeId: string, seq: number): Promise<void> {
    const event = store.eventsOf(exchangeId).find((candidate) => candidate.seq === seq);
    if (!event) {
      store.toasts.show(`Event #${seq} is not among the events the page holds for this exchange`, "info");
      return;
    }
    if (!this.revealed.has(rowKey(event))) {
      this.revealed = new Set(this.revealed).add(rowKey(event));
      await this.updateComplete;
    }
    const row = this.renderRoot.querySelector<HTMLElement>(
      `tr[data-exchange-id="${CSS.escape(exchangeId)}"][data-seq="${seq}"]`,
    );
    if (!row) return;
    row.closest("details")?.setAttribute("open", "");
    row.scrollIntoView({ block: "center" });
    row.classList.remove("flash");
    void row.offsetWidth;
    row.classList.add("flash");
    row.focus();
  }

  override render() {
    const messageId = store.inspectedMessageId;
    const message = store.messages.find((m) => m.id === messageId);
    const pinned = store.pinnedMessageId !== null && store.pinnedMessageId === messageId;
    const exchanges = messageId ? store.exchangesOf(messageId) : [];
    return html`<section class="inspector" data-testid="inspector" aria-label="Inspector">
      <div class="head">
        ${
          message
            ? html`<div>
                <strong>${message.botName ?? "Bot"}</strong>
                <span class="muted">answer at ${formatTime(message.createdAt)}</span>
                <span class="muted mono id" title="Message id">${message.id}</span>
              </div>`
            : html`<div class="muted">No bot message to inspect yet.</div>`
        }
        <div class="head-actions">
          ${
            pinned
              ? html`<button class="ghost" @click=${() => store.inspect(null)}>Follow the latest answer</button>`
              : message
                ? html`<span class="muted small">Following the latest answer; click a message to pin it.</span>`
                : nothing
          }
          ${
            messageId
              ? html`<button
                  class="ghost"
                  aria-label="Load the exchanges again"
                  title="Load again"
                  @click=${() => store.fetchExchanges(messageId, true)}
                >
                  ↻
                </button>`
              : nothing
          }
        </div>
      </div>
      ${
        messageId && exchanges.length === 0
          ? html`<p class="muted empty">
              ${store.inspectorLoading ? "Loading…" : "No request has been sent for this message yet."}
            </p>`
          : nothing
      }
      ${this.renderTree(exchanges)}
    </section>`;
  }

  private renderTree(exchanges: ExchangeRecord[]) {
    const ids = new Set(exchanges.map((exchange) => exchange.id));
    const children = new Map<string, ExchangeRecord[]>();
    const roots: ExchangeRecord[] = [];
    for (const exchange of exchanges) {
      if (exchange.parentId && ids.has(exchange.parentId)) {
        const list = children.get(exchange.parentId) ?? [];
        list.push(exchange);
        children.set(exchange.parentId, list);
      } else {
        roots.push(exchange);
      }
    }
    const renderNode = (exchange: ExchangeRecord, depth: number): unknown =>
      html`${this.renderExchange(exchange, depth)}
      ${
        children.get(exchange.id)?.length
          ? html`<div class="children" role="group" aria-label=${`Calls made by ${exchange.botName}`}>
              ${children.get(exchange.id)?.map((child) => renderNode(child, depth + 1))}
            </div>`
          : nothing
      }`;
    return roots.map((root) => renderNode(root, 0));
  }

  private renderExchange(exchange: ExchangeRecord, depth: number) {
    const events = store.eventsOf(exchange.id);
    const caller = exchange.caller.kind === "simulator" ? "Simulator" : (exchange.caller.botName ?? "A bot");
    const statusClass =
      exchange.status === "complete" ? "good" : exchange.status === "failed" ? "bad" : "busy";
    const httpClass = exchange.httpStatus === null ? "" : exchange.httpStatus === 200 ? "good" : "bad";
    const { firstByteMs, firstTextMs, doneMs } = exchange.timings;
    return html`<article
      class="exchange ${exchange.violations.length ? "has-violations" : ""}"
      data-testid="exchange"
      data-exchange-id=${exchange.id}
      data-status=${exchange.status}
      data-depth=${depth}
    >
      <header>
        <span class="route"><span class="muted">${caller} →</span> <strong>${exchange.botName}</strong></span>
        <span class="badge ${statusClass}">${exchange.status}</span>
        ${exchange.httpStatus !== null ? html`<span class="badge ${httpClass}">HTTP ${exchange.httpStatus}</span>` : nothing}
        ${this.renderViolationCount(exchange)}
      </header>
      <dl class="facts">
        <div><dt>Content type</dt><dd class="mono">${exchange.contentType ?? "–"}</dd></div>
        <div><dt>Started</dt><dd>${formatTime(exchange.startedAt)}</dd></div>
        <div><dt>First byte</dt><dd>${formatMs(firstByteMs)}</dd></div>
        <div><dt>First text</dt><dd>${formatMs(firstTextMs)}</dd></div>
        <div><dt>Done</dt><dd>${formatMs(doneMs)}</dd></div>
        <div><dt>Events</dt><dd>${exchange.eventCount}</dd></div>
        <div><dt>Text</dt><dd>${exchange.textLength} chars</dd></div>
      </dl>
      ${
        exchange.violations.length
          ? html`<ul class="violations" aria-label="Protocol violations">
              ${exchange.violations.map(
                (violation) => html`<li data-testid="violation" data-rule=${violation.rule}>
                  <span class="rule mono">${violation.rule}</span>
                  <span>${violation.message}</span>
                  <span class="muted">at ${formatMs(violation.atMs)}</span>
                  ${
                    violation.seq !== null
                      ? html`<button class="ghost mini" @click=${() => void this.revealRow(exchange.id, violation.seq ?? 0)}>
                          event #${violation.seq}
                        </button>`
                      : nothing
                  }
                </li>`,
              )}
            </ul>`
          : nothing
      }
      <details class="request">
        <summary>Request JSON</summary>
        <pre class="json">${prettyJson(exchange.request)}</pre>
      </details>
      <details class="events" open>
        <summary>Raw events <span class="muted">(${events.length})</span></summary>
        ${events.length ? this.renderEvents(exchange.id, events) : html`<p class="muted small">No events yet.</p>`}
      </details>
    </article>`;
  }

  /** How many rules the exchange broke; "0 violations" only once it is over, when that is the verdict. */
  private renderViolationCount(exchange: ExchangeRecord) {
    const count = exchange.violations.length;
    if (count === 0 && exchange.status === "running") return nothing;
    return html`<span class="badge ${count ? "bad" : "good"}" data-testid="violation-count" data-count=${count}>
      ${count} violation${count === 1 ? "" : "s"}
    </span>`;
  }

  private renderEvents(exchangeId: string, events: readonly RawEventRecord[]) {
    const limit = this.rowLimits.get(exchangeId) ?? ROW_PAGE;
    const shown = events.slice(0, limit);
    for (let i = limit; i < events.length && this.revealed.size > 0; i++) {
      const event = events[i];
      if (event && this.revealed.has(rowKey(event))) shown.push(event);
    }
    const hidden = events.length - shown.length;
    return html`<div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">seq</th>
              <th scope="col">+ms</th>
              <th scope="col">event</th>
              <th scope="col">data</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map((event) => this.renderRow(event))}
          </tbody>
        </table>
      </div>
      ${
        hidden > 0
          ? html`<button class="ghost" data-testid="show-more-events" @click=${() => this.showMore(exchangeId)}>
              Show ${Math.min(ROW_PAGE, hidden)} more (${hidden} not shown)
            </button>`
          : nothing
      }`;
  }

  private renderRow(event: RawEventRecord) {
    const key = rowKey(event);
    const open = this.expanded.has(key);
    const { text, long } = previewOf(event);
    return html`<tr
      data-testid="raw-event"
      data-exchange-id=${event.exchangeId}
      data-seq=${event.seq}
      data-violation=${event.violation ?? nothing}
      class=${event.violation ? "violation" : event.event === ":" ? "comment" : ""}
      title=${event.violation ? `Violation: ${event.violation}` : nothing}
      tabindex="-1"
    >
      <td class="num">${event.seq}</td>
      <td class="num">${Math.round(event.atMs)}</td>
      <td class="mono name">
        ${event.event === ":" ? html`<span class="muted">: comment</span>` : event.event}
        ${event.violation ? html`<span class="rule-tag">${event.violation}</span>` : nothing}
      </td>
      <td class="data">
        ${open ? html`<pre>${prettyJsonText(event.data)}</pre>` : html`<code>${text}</code>`}
        ${
          long
            ? html`<button
                class="ghost mini"
                aria-expanded=${open ? "true" : "false"}
                aria-label=${open ? `Collapse the data of event ${event.seq}` : `Expand the data of event ${event.seq}`}
                @click=${() => this.toggleRow(key)}
              >
                ${open ? "collapse" : "expand"}
              </button>`
            : nothing
        }
      </td>
    </tr>`;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        font-size: 0.85rem;
      }
      .inspector {
        padding: 0.6rem 0.75rem 1.5rem;
        display: grid;
        gap: 0.75rem;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.4rem;
      }
      .head-actions {
        display: flex;
        align-items: center;
        gap: 0.3rem;
      }
      .id {
        font-size: 0.72rem;
        margin-left: 0.3rem;
      }
      .small {
        font-size: 0.78rem;
      }
      .empty {
        margin: 0.5rem 0;
      }
      .exchange {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        padding: 0.55rem 0.65rem;
        background: var(--bg-subtle);
        display: grid;
        gap: 0.45rem;
        min-width: 0;
      }
      .inspector > *,
      .exchange > * {
        min-width: 0;
      }
      .exchange.has-violations {
        border-color: var(--danger);
      }
      .children {
        margin-left: 0.9rem;
        padding-left: 0.7rem;
        border-left: 2px solid var(--border);
        display: grid;
        gap: 0.6rem;
      }
      .exchange header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem;
      }
      .route {
        margin-right: auto;
      }
      .facts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr));
        gap: 0.3rem 0.6rem;
        margin: 0;
      }
      .facts div {
        min-width: 0;
      }
      .facts dt {
        font-size: 0.7rem;
        color: var(--text-muted);
        text-transform: uppercase;
        letter-spacing: 0.03em;
      }
      .facts dd {
        margin: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      .violations {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
      .violations li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.5rem;
        align-items: baseline;
        color: var(--danger);
        background: var(--danger-soft);
        border-left: 3px solid var(--danger);
        padding: 0.25rem 0.45rem;
        border-radius: 4px;
      }
      .rule {
        font-weight: 700;
      }
      .mini {
        font-size: 0.75rem;
        padding: 0 0.3rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      .table-wrap {
        overflow-x: auto;
        margin-top: 0.35rem;
        max-height: 60vh;
        overflow-y: auto;
        border: 1px solid var(--border);
        border-radius: 6px;
        background: var(--bg);
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 0.78rem;
      }
      thead th {
        position: sticky;
        top: 0;
        background: var(--bg-muted);
        text-align: left;
        font-weight: 600;
        padding: 0.25rem 0.4rem;
        z-index: 1;
      }
      td {
        border-top: 1px solid var(--border);
        padding: 0.2rem 0.4rem;
        vertical-align: top;
      }
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
        color: var(--text-muted);
      }
      td.name {
        white-space: nowrap;
      }
      td.data {
        font-family: var(--mono);
        word-break: break-all;
        min-width: 10rem;
      }
      td.data pre {
        margin: 0;
        white-space: pre-wrap;
      }
      tr.comment td {
        color: var(--text-muted);
      }
      tr.violation td {
        background: var(--danger-soft);
        color: var(--danger);
      }
      tr.violation td:first-child {
        box-shadow: inset 3px 0 0 var(--danger);
      }
      .rule-tag {
        display: block;
        font-size: 0.7rem;
        font-weight: 700;
      }
      tr.flash td {
        animation: flash 1.2s ease-out;
      }
      @keyframes flash {
        from {
          background: var(--warning-soft);
        }
      }
      tr:focus {
        outline: 2px solid var(--accent);
        outline-offset: -2px;
      }
    `,
  ];
}

customElements.define("sim-inspector", SimInspector);

declare global {
  interface HTMLElementTagNameMap {
    "sim-inspector": SimInspector;
  }
}
