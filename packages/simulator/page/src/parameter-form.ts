/**
 * A bot's parameter controls as a form above the composer: sections (collapsible), tabs, and each kind of
 * control; a condition's controls show only while it holds. Changes go out as a `parameters-change` event
 * carrying all values.
 */
import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import type { BaseControl, FullControl, ParameterControls, Section } from "poekit";
import { aspectRatioValue, defaultValues, type ParameterValues, visibleControls } from "./parameters.ts";
import { base } from "./styles.ts";

export class SimParameterForm extends LitElement {
  static override properties = {
    controls: { attribute: false },
    values: { attribute: false },
    botName: { attribute: false },
    activeTabs: { state: true },
    collapsed: { state: true },
  };

  declare controls: ParameterControls;
  declare values: ParameterValues;
  declare botName: string;
  /** The selected tab of each section, by section index. */
  declare activeTabs: Record<number, number>;
  /** Whether the form is folded away to its summary line. */
  declare collapsed: boolean;

  constructor() {
    super();
    this.values = {};
    this.botName = "";
    this.activeTabs = {};
    this.collapsed = false;
  }

  private set(name: string, value: unknown): void {
    this.emit({ ...this.values, [name]: value });
  }

  private emit(values: ParameterValues): void {
    this.dispatchEvent(new CustomEvent<ParameterValues>("parameters-change", { detail: values }));
  }

  private reset(): void {
    this.emit(defaultValues(this.controls));
  }

  override render() {
    if (!this.controls) return nothing;
    return html`<form
      data-testid="parameter-form"
      aria-label=${`Parameters for ${this.botName}`}
      @submit=${(event: Event) => event.preventDefault()}
    >
      <div class="form-head">
        <button
          type="button"
          class="ghost toggle-form"
          aria-expanded=${this.collapsed ? "false" : "true"}
          aria-controls="parameter-body"
          @click=${() => {
            this.collapsed = !this.collapsed;
          }}
        >
          <span aria-hidden="true">${this.collapsed ? "▸" : "▾"}</span> Parameters
        </button>
        ${this.collapsed ? html`<span class="summary muted mono">${this.summary()}</span>` : nothing}
        <button type="button" class="ghost reset" @click=${this.reset}>Reset</button>
      </div>
      <div id="parameter-body" ?hidden=${this.collapsed}>
        ${this.controls.sections.map((section, index) => this.renderSection(section, index))}
      </div>
    </form>`;
  }

  /** The current values on one line, for the folded form. */
  private summary(): string {
    return Object.entries(this.values)
      .map(([name, value]) => `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join("  ");
  }

  private renderSection(section: Section, index: number) {
    const body = html`<div class="grid">${this.renderControls(section.controls ?? [], `s${index}`)}</div>
      ${section.tabs?.length ? this.renderTabs(section, index) : nothing}`;
    if (!section.name && !section.collapsed_by_default) {
      return html`<div class="section">${body}</div>`;
    }
    return html`<details class="section" ?open=${!section.collapsed_by_default}>
      <summary>${section.name || "Options"}</summary>
      ${body}
    </details>`;
  }

  private renderTabs(section: Section, sectionIndex: number) {
    const tabs = section.tabs ?? [];
    const active = Math.min(this.activeTabs[sectionIndex] ?? 0, tabs.length - 1);
    const select = (index: number, focus: boolean) => {
      this.activeTabs = { ...this.activeTabs, [sectionIndex]: index };
      if (focus) {
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector<HTMLElement>(`#tab-${sectionIndex}-${index}`)?.focus(),
        );
      }
    };
    const onKeydown = (event: KeyboardEvent) => {
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step === 0) return;
      event.preventDefault();
      select((active + step + tabs.length) % tabs.length, true);
    };
    const tab = tabs[active];
    return html`<div class="tablist" role="tablist" @keydown=${onKeydown}>
        ${tabs.map(
          (t, index) => html`<button
            type="button"
            role="tab"
            id=${`tab-${sectionIndex}-${index}`}
            aria-selected=${index === active ? "true" : "false"}
            aria-controls=${`panel-${sectionIndex}`}
            tabindex=${index === active ? 0 : -1}
            @click=${() => select(index, false)}
          >
            ${t.name || `Tab ${index + 1}`}
          </button>`,
        )}
      </div>
      <div
        class="tabpanel grid"
        role="tabpanel"
        id=${`panel-${sectionIndex}`}
        aria-labelledby=${`tab-${sectionIndex}-${active}`}
      >
        ${tab ? this.renderControls(tab.controls, `s${sectionIndex}t${active}`) : nothing}
      </div>`;
  }

  private renderControls(list: readonly FullControl[], path: string) {
    return visibleControls(list, this.values).map((control, index) =>
      this.renderControl(control, `${path}c${index}`),
    );
  }

  private renderControl(control: BaseControl, id: string): TemplateResult {
    if (control.control === "divider") return html`<hr />`;
    const name = control.parameter_name;
    const value = this.values[name];
    const description = control.description
      ? html`<small id=${`${id}-desc`} class="muted">${control.description}</small>`
      : nothing;
    const describedBy = control.description ? `${id}-desc` : nothing;
    switch (control.control) {
      case "text_field":
        return html`<div class="field" data-testid="parameter-control" data-parameter-name=${name}>
          <label for=${id}>${control.label}</label>
          <input
            id=${id}
            type="text"
            .value=${live(String(value ?? ""))}
            placeholder=${control.placeholder ?? ""}
            aria-describedby=${describedBy}
            @input=${(event: Event) => this.set(name, (event.target as HTMLInputElement).value)}
          />
          ${description}
        </div>`;
      case "text_area":
        return html`<div class="field wide" data-testid="parameter-control" data-parameter-name=${name}>
          <label for=${id}>${control.label}</label>
          <textarea
            id=${id}
            rows="3"
            .value=${live(String(value ?? ""))}
            placeholder=${control.placeholder ?? ""}
            aria-describedby=${describedBy}
            @input=${(event: Event) => this.set(name, (event.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${description}
        </div>`;
      case "drop_down":
        return html`<div class="field" data-testid="parameter-control" data-parameter-name=${name}>
          <label for=${id}>${control.label}</label>
          <select
            id=${id}
            aria-describedby=${describedBy}
            @change=${(event: Event) => this.set(name, (event.target as HTMLSelectElement).value)}
          >
            ${control.options.map(
              (option) =>
                html`<option value=${option.value} ?selected=${option.value === value}>${option.name}</option>`,
            )}
          </select>
          ${description}
        </div>`;
      case "toggle_switch":
        return html`<div class="field toggle" data-testid="parameter-control" data-parameter-name=${name}>
          <label>
            <input
              type="checkbox"
              role="switch"
              .checked=${live(value === true)}
              aria-describedby=${describedBy}
              @change=${(event: Event) => this.set(name, (event.target as HTMLInputElement).checked)}
            />
            ${control.label}
          </label>
          ${description}
        </div>`;
      case "slider": {
        const number = typeof value === "number" ? value : Number(value ?? control.min_value);
        return html`<div class="field" data-testid="parameter-control" data-parameter-name=${name}>
          <label for=${id}>${control.label} <output for=${id}>${number}</output></label>
          <input
            id=${id}
            type="range"
            min=${control.min_value}
            max=${control.max_value}
            step=${control.step}
            .value=${live(String(number))}
            aria-describedby=${describedBy}
            @input=${(event: Event) => this.set(name, Number((event.target as HTMLInputElement).value))}
          />
          ${description}
        </div>`;
      }
      case "aspect_ratio":
        return html`<fieldset class="field ratios wide" data-testid="parameter-control" data-parameter-name=${name}>
          <legend>${control.label}</legend>
          <div class="ratio-options">
            ${control.options.map((option) => {
              const optionValue = aspectRatioValue(option);
              const scale = 1.4 / Math.max(option.width, option.height);
              return html`<label class="ratio">
                <input
                  type="radio"
                  name=${id}
                  .checked=${live(optionValue === value)}
                  @change=${() => this.set(name, optionValue)}
                />
                <span
                  class="shape"
                  aria-hidden="true"
                  style=${`width:${(option.width * scale).toFixed(2)}rem;height:${(option.height * scale).toFixed(2)}rem`}
                ></span>
                <span>${option.width}:${option.height}</span>
              </label>`;
            })}
          </div>
          ${description}
        </fieldset>`;
    }
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      form {
        border: 1px solid var(--border);
        border-radius: var(--radius);
        background: var(--bg-subtle);
        padding: 0.25rem 0.6rem 0.45rem;
        max-height: 38vh;
        overflow: auto;
        font-size: 0.86rem;
      }
      .form-head {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        min-width: 0;
      }
      .toggle-form {
        font-weight: 600;
        padding-left: 0.2rem;
      }
      .summary {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 0.75rem;
      }
      .reset {
        margin-left: auto;
        font-size: 0.75rem;
      }
      .section {
        padding: 0.2rem 0;
      }
      .section + .section {
        border-top: 1px solid var(--border);
        margin-top: 0.3rem;
        padding-top: 0.35rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
        padding: 0.1rem 0;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
        gap: 0.45rem 0.9rem;
        align-items: start;
        padding: 0.25rem 0;
      }
      .grid:empty {
        display: none;
      }
      .grid > hr,
      .grid > .wide {
        grid-column: 1 / -1;
      }
      .field {
        display: grid;
        gap: 0.15rem;
        min-width: 0;
      }
      .field label {
        font-weight: 500;
      }
      .field small {
        font-size: 0.75rem;
      }
      .toggle label {
        display: flex;
        gap: 0.45rem;
        align-items: center;
        min-height: 1.9rem;
      }
      output {
        font-family: var(--mono);
        font-size: 0.8rem;
        color: var(--text-muted);
        margin-left: 0.35rem;
      }
      input[type="range"] {
        width: 100%;
        padding: 0;
      }
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        min-width: 0;
      }
      legend {
        font-weight: 500;
        padding: 0;
        margin-bottom: 0.2rem;
      }
      .ratio-options {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      .ratio {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        border: 1px solid var(--border);
        border-radius: 6px;
        padding: 0.2rem 0.45rem;
        cursor: pointer;
        background: var(--bg);
      }
      .ratio:has(input:checked) {
        border-color: var(--accent);
        background: var(--accent-soft);
      }
      .shape {
        display: inline-block;
        border: 1.5px solid currentColor;
        border-radius: 2px;
      }
      hr {
        border: none;
        border-top: 1px solid var(--border);
        margin: 0.1rem 0;
        width: 100%;
      }
      .tablist {
        display: flex;
        gap: 0.2rem;
        border-bottom: 1px solid var(--border);
        margin-top: 0.2rem;
      }
      .tablist button {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: transparent;
      }
      .tablist button[aria-selected="true"] {
        border-bottom-color: var(--accent);
        font-weight: 600;
      }
    `,
  ];
}

customElements.define("sim-parameter-form", SimParameterForm);

declare global {
  interface HTMLElementTagNameMap {
    "sim-parameter-form": SimParameterForm;
  }
}
