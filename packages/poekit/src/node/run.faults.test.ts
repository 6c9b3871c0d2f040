import type { ChildProcess } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { streamRequest } from "../client/stream-request.js";
import { silentLogger } from "../core/logger.js";
import type { QueryRequest } from "../protocol/query-request.js";
import { DONE_EVENT, encodeEvent } from "../protocol/sse-encoder.js";
import { PoeBot } from "../server/poe-bot.js";
import type { RequestContext } from "../server/request-context.js";
import {
  type FaultStep,
  type FaultyUpstream,
  SSE_HEAD,
  startFaultyUpstream,
} from "../test-support/faulty-upstream.js";
import { rawPost } from "../test-support/raw-client.js";
import { queryBody } from "../test-support/requests.js";
import { BRIEF_BODY, CUT_BODY, ShutdownBot } from "../test-support/shutdown-bot.js";
import { spawnAnnouncingPort } from "../test-support/spawn-announcing-port.js";
import { type RunningServer, run } from "./run.js";

const servers: RunningServer[] = [];
const upstreams: FaultyUpstream[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await Promise.all(servers.splice(0).map((server) => server.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

async function serve(bot: PoeBot): Promise<RunningServer> {
  const server = await run(bot, {
    port: 0,
    host: "127.0.0.1",
    allowWithoutKey: true,
    handleSignals: false,
    logger: silentLogger,
    env: {},
    syncSettings: false,
  });
  servers.push(server);
  return server;
}

/** What a relaying bot went through. */
interface RelayTrace {
  started: number;
  finallyRan: boolean;
  signal: AbortSignal | undefined;
  /** What its upstream call ended with, when it did not end normally. */
  upstreamError: unknown;
}

/**
 * A bot that passes on another bot's answer, calling it with `context.signal` as a bot should: so a
 * client that leaves must stop this bot and, through it, the call upstream.
 */
class RelayBot extends PoeBot {
  readonly trace: RelayTrace = { started: 0, finallyRan: false, signal: undefined, upstreamError: undefined };

  constructor(private readonly upstreamUrl: string) {
    super();
  }

  override async *getResponseWithContext(request: QueryRequest, context: RequestContext) {
    this.trace.started++;
    this.trace.signal = context.signal;
    try {
      for await (const message of streamRequest(request, "Upstream", null, {
        baseUrl: this.upstreamUrl,
        signal: context.signal,
        onError: () => undefined,
        retries: 1,
      })) {
        yield message;
      }
    } catch (error) {
      this.trace.upstreamError = error;
      throw error;
    } finally {
      this.trace.finallyRan = true;
    }
  }
}

const BIG_TEXT = "x".repeat(4 * 1024 * 1024);

/** The upstream's answer for each step: it then stays silent, so the relay is still busy with it. */
const UPSTREAM_SCRIPTS: Record<string, FaultStep[]> = {
  "before the headers": [{ hang: true }],
  "in the middle of an event": [
    { write: SSE_HEAD + encodeEvent("text", { text: BIG_TEXT }) },
    { hang: true },
  ],
  "between two events": [{ write: SSE_HEAD + encodeEvent("text", { text: "a" }) }, { hang: true }],
};

/** Where the client cuts the connection, given what it has received; null: as soon as the request is sent. */
const CUT_WHEN: Record<string, ((received: string) => boolean) | null> = {
  "before the headers": null,
  "in the middle of an event": (received) => received.includes('event: text\r\ndata: {"text":"xxx'),
  "between two events": (received) => received.includes('event: text\r\ndata: {"text":"a"}\r\n\r\n'),
};

async function relayThroughHangingUpstream(step: string) {
  const upstream = await startFaultyUpstream([UPSTREAM_SCRIPTS[step] as FaultStep[]]);
  upstreams.push(upstream);
  const bot = new RelayBot(upstream.baseUrl);
  const server = await serve(bot);
  const client = await rawPost(server.port, JSON.stringify(queryBody()));
  const cutWhen = CUT_WHEN[step];
  if (cutWhen) {
    // The relay is busy with its upstream when the client goes.
    await vi.waitFor(() => expect(upstream.connections).toHaveLength(1));
    await client.receivedWhen(cutWhen);
  }
  const received = client.received();
  client.disconnect();
  return { upstream, bot, server, received };
}

describe("a client that disconnects", () => {
  it.each(Object.keys(UPSTREAM_SCRIPTS))(
    "%s: stops the bot (its finally runs), aborts context.signal and cancels the bot's upstream call",
    async (step) => {
      const { upstream, bot, server, received } = await relayThroughHangingUpstream(step);
      if (step === "before the headers") expect(received).toBe("");
      if (step === "in the middle of an event") expect(received).not.toContain(`${BIG_TEXT}"}\r\n\r\n`);
      if (step === "between two events") expect(received).not.toContain("event: done");

      await vi.waitFor(() => expect(bot.trace.finallyRan).toBe(true), { timeout: 5_000 });
      expect(bot.trace.started).toBe(1);
      expect(bot.trace.signal?.aborted).toBe(true);
      // The bot's own call upstream was ended by the client leaving, not by the upstream. (Cut
      // before the headers, the call may have been aborted before its request was even sent.)
      if (step !== "before the headers") expect(upstream.connections).toHaveLength(1);
      for (const connection of upstream.connections) {
        await connection.closed;
        expect(connection.closedByClient).toBe(true);
      }
      expect(server.app.openStreams).toBe(0);

      // Nothing leaked into the next request.
      const after = await fetch(`${server.url}/`, { method: "POST", body: JSON.stringify(queryBody()) });
      expect(after.status).toBe(200);
      expect(bot.trace.started).toBe(2);
      after.body?.cancel();
    },
  );

  it("before its request body is complete: the bot never starts and the server goes on serving", async () => {
    const upstream = await startFaultyUpstream([
      [{ write: SSE_HEAD + encodeEvent("text", { text: "ok" }) + DONE_EVENT }, { end: true }],
    ]);
    upstreams.push(upstream);
    const bot = new RelayBot(upstream.baseUrl);
    const server = await serve(bot);
    const body = JSON.stringify(queryBody());
    const client = await rawPost(server.port, body, 20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(bot.trace.started).toBe(0);
    expect(upstream.connections).toHaveLength(0);

    const after = await fetch(`${server.url}/`, { method: "POST", body });
    expect(await after.text()).toBe(encodeEvent("text", { text: "ok" }) + DONE_EVENT);
    expect(server.app.openStreams).toBe(0);
  });
});

/** A finished response: its status and whole body, or how it failed. */
interface StreamResult {
  status: number;
  body: string;
  error?: string;
}

/** Opens a query stream on its own connection; `opened` resolves once its headers are in. */
function openStream(
  url: string,
  message: string,
  agent: Agent,
): { opened: Promise<void>; ended: Promise<StreamResult> } {
  let onOpen: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    onOpen = resolve;
  });
  const ended = new Promise<StreamResult>((resolve) => {
    const request = httpRequest(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (response) => {
        onOpen();
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", (error) =>
          resolve({ status: response.statusCode ?? 0, body, error: error.message }),
        );
      },
    );
    request.on("error", (error) => {
      onOpen();
      resolve({ status: 0, body: "", error: error.message });
    });
    request.end(JSON.stringify(queryBody(message)));
  });
  return { opened, ended };
}

/** 200 streams: half end by themselves within the grace period, half would go on far beyond it. */
function openMixedStreams(url: string, agent: Agent) {
  const streams: Array<{ brief: boolean; opened: Promise<void>; ended: Promise<StreamResult> }> = [];
  for (let i = 0; i < 200; i++) {
    const brief = i % 2 === 0;
    // The brief ones finish at different moments within the grace period.
    streams.push({ brief, ...openStream(url, brief ? `brief ${800 + (i % 50) * 10}` : "long", agent) });
  }
  return streams;
}

/** Checks that every stream got its `done`: the real end for the brief ones, the shutdown error for the rest. */
async function expectEveryDone(streams: ReturnType<typeof openMixedStreams>): Promise<void> {
  const results = await Promise.all(streams.map((stream) => stream.ended));
  const lost = results.filter((result) => !result.body.endsWith(DONE_EVENT));
  expect(lost).toEqual([]);
  for (const [index, result] of results.entries()) {
    expect(result.status).toBe(200);
    expect(result.body).toBe(streams[index]?.brief ? BRIEF_BODY : CUT_BODY);
  }
}

describe("graceful shutdown under load", () => {
  it("close(grace) with 200 streams open: the brief ones end normally, the rest get an error and done", async () => {
    const bot = new ShutdownBot();
    const server = await serve(bot);
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const streams = openMixedStreams(`${server.url}/`, agent);
    await Promise.all(streams.map((stream) => stream.opened));
    // Every long one is open (and the brief ones unless the machine is slow enough that some ended).
    expect(server.app.openStreams).toBeGreaterThanOrEqual(100);

    const started = performance.now();
    await server.close(2_000);
    const tookMs = performance.now() - started;
    await expectEveryDone(streams);
    expect(bot.tally).toEqual({ started: 200, finished: 100, cleanedUp: 200, aborted: 100 });
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(5_000);
    agent.destroy();
  });

  it("SIGTERM to a process serving 200 streams: every stream gets its done, then the process exits by itself", async () => {
    const script = fileURLToPath(new URL("../test-support/shutdown-server.ts", import.meta.url));
    const { child, port, output } = await spawnAnnouncingPort(script, { GRACE_MS: "2000" });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const streams = openMixedStreams(`http://127.0.0.1:${port}/`, agent);
    await Promise.all(streams.map((stream) => stream.opened));
    child.kill("SIGTERM");
    await expectEveryDone(streams);
    expect(await exited).toBe(0);
    const tally = JSON.parse(output().trim().split("\n").at(-1) as string) as { tally: unknown };
    expect(tally).toEqual({ tally: { started: 200, finished: 100, cleanedUp: 200, aborted: 100 } });
    agent.destroy();
  }, 30_000);
});
