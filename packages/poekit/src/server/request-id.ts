/** A request id a proxy or load balancer sent (`x-request-id`), kept when it is short and plain. */
const GIVEN_ID = /^[\w.:/+=-]{1,128}$/;

/**
 * Makes request ids: the `x-request-id` header when the client sent a plain one, else a prefix random
 * to this app and a counter (unique across restarts and processes, and far cheaper than a UUID).
 * @example
 * const ids = requestIds();
 * ids(undefined); // "k3j9x2-1"
 */
export function requestIds(): (given: string | null | undefined) => string {
  const prefix = Math.random().toString(36).slice(2, 8);
  let count = 0;
  return (given) => (given != null && GIVEN_ID.test(given) ? given : `${prefix}-${(++count).toString(36)}`);
}
