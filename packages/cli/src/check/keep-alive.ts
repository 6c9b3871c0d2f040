/** When the parts of one response arrived, in milliseconds after the request. */
export interface StreamTimeline {
  /** The response headers. */
  startMs: number;
  /** The end of the response (`done`, or where reading stopped). */
  endMs: number;
  /** Events, keep-alives excluded. */
  eventTimes: readonly number[];
  /** Comment lines and old-style `ping` events. */
  keepAliveTimes: readonly number[];
}

/** What a timeline says about keep-alives. */
export interface KeepAliveVerdict {
  /** `pass`: the bot paused and kept the stream alive; `fail`: it went silent too long; `skip`: it never paused. */
  status: "pass" | "fail" | "skip";
  /** The longest time without an event (keep-alives do not count). */
  longestPauseMs: number;
  /** The longest time without anything at all on the wire. */
  longestSilenceMs: number;
  /** The silence allowed: the interval plus a fifth for timers that fire late. */
  allowedSilenceMs: number;
}

/**
 * Judges keep-alives: a bot that paused for `intervalMs` or longer must have sent a keep-alive often
 * enough that the wire was never silent much longer than `intervalMs`; a bot that never paused that
 * long gives nothing to judge.
 * @example
 * judgeKeepAlive({ startMs: 0, endMs: 40_000, eventTimes: [40_000], keepAliveTimes: [15_000, 30_000] }, 15_000);
 * // { status: "pass", longestPauseMs: 40000, longestSilenceMs: 15000, allowedSilenceMs: 18000 }
 */
export function judgeKeepAlive(timeline: StreamTimeline, intervalMs: number): KeepAliveVerdict {
  const allowedSilenceMs = intervalMs + intervalMs / 5;
  const longestPauseMs = longestGap(timeline.startMs, timeline.endMs, timeline.eventTimes);
  const longestSilenceMs = longestGap(timeline.startMs, timeline.endMs, [
    ...timeline.eventTimes,
    ...timeline.keepAliveTimes,
  ]);
  const status =
    longestSilenceMs > allowedSilenceMs ? "fail" : longestPauseMs >= intervalMs ? "pass" : "skip";
  return { status, longestPauseMs, longestSilenceMs, allowedSilenceMs };
}

/** The longest interval between consecutive moments from `startMs` to `endMs`. */
function longestGap(startMs: number, endMs: number, moments: readonly number[]): number {
  const sorted = [startMs, ...moments.filter((at) => at >= startMs && at <= endMs), endMs].sort(
    (a, b) => a - b,
  );
  let longest = 0;
  for (let at = 1; at < sorted.length; at++) {
    longest = Math.max(longest, (sorted[at] as number) - (sorted[at - 1] as number));
  }
  return longest;
}
