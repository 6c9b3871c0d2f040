/** Small formatting helpers for times, durations, money and JSON. */

/** A clock time, with seconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** A date and time, for titles. */
export function formatDateTime(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** How long ago, roughly: "just now", "5 min ago", "3 h ago", else the date. */
export function formatAgo(ms: number, now = Date.now()): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(ms).toLocaleDateString();
}

/** A duration in milliseconds, or a dash when it has not happened. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A balance in milli-cents of a US dollar, as dollars. */
export function formatDollars(milliCents: number): string {
  return `$${(milliCents / 100_000).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 5 })}`;
}

/** Cuts text to `max` characters, saying so. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** JSON text pretty-printed when it parses, else as it is. */
export function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A value as pretty JSON. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}
