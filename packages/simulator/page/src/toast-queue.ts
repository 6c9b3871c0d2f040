/** The notifications the page shows: failed requests and short confirmations, newest last. */

export interface Toast {
  id: number;
  kind: "error" | "info";
  text: string;
}

/** How many toasts are kept; an older one gives way to a new one. */
const MAX_TOASTS = 5;

export class ToastQueue {
  /** The toasts shown, oldest first; a new array on each change. */
  items: readonly Toast[] = [];
  private nextId = 1;
  private readonly onChange: () => void;

  /** `onChange` runs after each change (the store's re-render request). */
  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  show(text: string, kind: Toast["kind"] = "error"): void {
    this.items = [...this.items, { id: this.nextId++, kind, text }].slice(-MAX_TOASTS);
    this.onChange();
  }

  dismiss(id: number): void {
    this.items = this.items.filter((toast) => toast.id !== id);
    this.onChange();
  }
}
