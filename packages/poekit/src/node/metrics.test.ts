import { afterEach, describe, expect, it } from "vitest";
import { PoeBot } from "../server/poe-bot.js";
import { post, queryBody } from "../test-support/requests.js";
import { type RunningServer, run } from "./run.js";

class Named extends PoeBot {
  override async *getResponse() {
    yield "hi";
  }
}

/** Prometheus text read line by line: every sample as `name{labels}` → value; fails on a malformed line. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || /^# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+$/.test(line)) continue;
    const match =
      /^([a-z_:][a-z0-9_:]*(?:\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+]+|\+Inf|NaN)$/.exec(line);
    if (match === null) throw new Error(`Not Prometheus text: ${line}`);
    samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

describe("run() with metricsPort", () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close(0)));
  });

  const start = async () => {
    const server = await run(new Named({ botName: "Named" }), {
      port: 0,
      host: "127.0.0.1",
      metricsPort: 0,
      allowWithoutKey: true,
      handleSignals: false,
      syncSettings: false,
      accessLog: false,
      logger: { info() {}, warn() {}, error() {} },
      argv: [],
      env: {},
    });
    servers.push(server);
    return server;
  };

  it("serves the requests' counts and timings as Prometheus text on a port of its own", async () => {
    const server = await start();
    for (let count = 0; count < 3; count++) {
      const request = post(queryBody());
      await (
        await fetch(server.url, { method: "POST", headers: request.headers, body: await request.text() })
      ).text();
    }
    await fetch(`${server.url}/nowhere`, { method: "POST", body: "{}" });
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(server.metricsUrl).not.toContain(`:${server.port}/`);
    const response = await fetch(server.metricsUrl as string);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const samples = parsePrometheus(await response.text());
    expect(samples.get('poekit_requests_total{bot="Named",type="query",outcome="done"}')).toBe(3);
    expect(samples.get('poekit_requests_total{bot="",type="",outcome="rejected"}')).toBe(1);
    expect(samples.get('poekit_request_duration_seconds_count{bot="Named",type="query"}')).toBe(3);
    expect(samples.get('poekit_request_first_byte_seconds_bucket{bot="Named",type="query",le="+Inf"}')).toBe(
      3,
    );
    expect(samples.get("poekit_open_streams")).toBe(0);
  });

  it("answers other paths with 404 and other methods with 405, in JSON", async () => {
    const server = await start();
    const base = (server.metricsUrl as string).replace(/\/metrics$/, "");
    const missing = await fetch(`${base}/`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Metrics are served at /metrics." });
    const posted = await fetch(`${base}/metrics`, { method: "POST", body: "x" });
    expect(posted.status).toBe(405);
    expect(posted.headers.get("allow")).toBe("GET, HEAD");
  });
});
