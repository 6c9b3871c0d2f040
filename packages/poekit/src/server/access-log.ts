import type { RequestRecord } from "./access-record.js";

/**
 * The message of a request's access line; its fields are the record itself.
 * @example
 * accessMessage(record); // "query / 200 done in 4.2 ms"
 */
export function accessMessage(record: RequestRecord): string {
  return `${record.type ?? record.method} ${record.path} ${record.status} ${record.outcome} in ${record.durationMs} ms`;
}
