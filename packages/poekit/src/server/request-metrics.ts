import type { RequestRecord } from "./access-record.js";

/** Upper bounds of the time histograms, in seconds: 1 ms to 2 minutes. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

class Histogram {
  readonly counts = new Array<number>(BUCKETS.length).fill(0);
  count = 0;
  sum = 0;

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    for (let index = 0; index < BUCKETS.length; index++) {
      if (seconds <= (BUCKETS[index] as number)) (this.counts[index] as number)++;
    }
  }
}

/**
 * Counts requests from their records, and writes them in Prometheus's text format: requests by bot,
 * type and outcome; first-byte and duration histograms by bot and type; upstream calls by bot; and the
 * open streams at scrape time. Labels are bot names and request types (a bounded set), never ids.
 * @example
 * const metrics = new RequestMetrics();
 * makeApp(bot, { onRequestEnd: (record) => metrics.observe(record) });
 * metrics.render(app.openStreams); // "# HELP poekit_requests_total …"
 */
export class RequestMetrics {
  private readonly requests = new Map<string, number>();
  private readonly upstream = new Map<string, number>();
  private readonly firstByte = new Map<string, Histogram>();
  private readonly duration = new Map<string, Histogram>();

  observe(record: RequestRecord): void {
    const bot = labels({ bot: record.bot ?? "", type: record.type ?? "" });
    add(this.requests, `${bot.slice(0, -1)},outcome="${record.outcome}"}`, 1);
    histogramOf(this.duration, bot).observe(record.durationMs / 1000);
    if (record.firstByteMs !== undefined) histogramOf(this.firstByte, bot).observe(record.firstByteMs / 1000);
    if (record.upstreamCalls > 0) add(this.upstream, labels({ bot: record.bot ?? "" }), record.upstreamCalls);
  }

  /** The metrics as Prometheus text (version 0.0.4), with `openStreams` as a gauge. */
  render(openStreams: number): string {
    const lines: string[] = [];
    counter(lines, "poekit_requests_total", "Requests answered, by bot, type and outcome.", this.requests);
    histogram(lines, "poekit_request_first_byte_seconds", "Time to a query's first event.", this.firstByte);
    histogram(lines, "poekit_request_duration_seconds", "Time until a response ended.", this.duration);
    counter(
      lines,
      "poekit_upstream_calls_total",
      "Calls to Poe made while answering, by bot.",
      this.upstream,
    );
    lines.push("# HELP poekit_open_streams Responses streaming now.", "# TYPE poekit_open_streams gauge");
    lines.push(`poekit_open_streams ${openStreams}`);
    return `${lines.join("\n")}\n`;
  }
}

/** `{a="x",b="y"}`, values escaped as the text format asks. */
function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(
    ([name, value]) => `${name}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
  );
  return `{${parts.join(",")}}`;
}

function add(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function histogramOf(map: Map<string, Histogram>, key: string): Histogram {
  let found = map.get(key);
  if (found === undefined) {
    found = new Histogram();
    map.set(key, found);
  }
  return found;
}

function counter(lines: string[], name: string, help: string, values: Map<string, number>): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const [key, value] of values) lines.push(`${name}${key} ${value}`);
}

function histogram(lines: string[], name: string, help: string, values: Map<string, Histogram>): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const [key, found] of values) {
    const inner = key.slice(1, -1);
    BUCKETS.forEach((bound, index) => {
      lines.push(`${name}_bucket{${inner},le="${bound}"} ${found.counts[index]}`);
    });
    lines.push(`${name}_bucket{${inner},le="+Inf"} ${found.count}`);
    lines.push(`${name}_sum${key} ${found.sum}`, `${name}_count${key} ${found.count}`);
  }
}
