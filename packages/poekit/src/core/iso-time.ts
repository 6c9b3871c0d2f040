let second = Number.NaN;
let prefix = "";

/**
 * `new Date(ms).toISOString()`, with the part up to the second kept from the last call in the same
 * second: an access line has two times, and formatting dates was a third of writing one.
 * @example
 * isoTime(0); // "1970-01-01T00:00:00.000Z"
 */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms / 1000);
  if (whole !== second) {
    second = whole;
    prefix = new Date(whole * 1000).toISOString().slice(0, 20);
  }
  const millis = ms - whole * 1000;
  return `${prefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${Math.floor(millis)}Z`;
}
