import type { KeyValueStore } from "../store/kv-store.js";

/** The balance a new simulator starts with, in milli-cents of a US dollar ($10). */
export const DEFAULT_BALANCE = 1_000_000;

/** The user's balance for cost calls, in milli-cents of a US dollar; kept in the database. */
export class Balance {
  constructor(
    private readonly kv: KeyValueStore,
    initial: number = DEFAULT_BALANCE,
  ) {
    if (kv.get("balance") === undefined) kv.set("balance", String(initial));
  }

  get(): number {
    return Number(this.kv.get("balance") ?? 0);
  }

  set(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError("The balance is a whole number ≥ 0.");
    this.kv.set("balance", String(value));
  }
}
