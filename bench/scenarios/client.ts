// Client: one query answered with 10,000 text events, read by streamRequest and by raw-client (fetch +
// eventsource-parser). Target: events/s ≥ 1.0 × raw-client.
//
// The answer comes from a server in this process that writes one prepared body, so serving costs next
// to nothing; each client runs in a process of its own and times whole answers.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RAW_CLIENT } from "../lib/paths.js";
import { runJsonProgram } from "../lib/processes.js";
import { progress, type Scenario } from "../lib/scenario.js";
import { median } from "../lib/stats.js";
import type { Row } from "../lib/verdict.js";

interface ClientRun {
  events: number;
  chars: number;
  roundsMs: number[];
}

const client: Scenario = async ({ profile, programs }) => {
  const { events, warmup, rounds, alternations } = profile.client;
  const piece = "0123456789";
  let body = "";
  for (let i = 0; i < events; i++) body += `event: text\r\ndata: {"text":"${piece}"}\r\n\r\n`;
  body += "event: done\r\ndata: {}\r\n\r\n";
  const bytes = Buffer.from(body);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "content-length": bytes.length,
      });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const args = ["--url", url, "--warmup", String(warmup), "--rounds", String(rounds)];

  try {
    const ours: number[] = [];
    const theirs: number[] = [];
    const check = (name: string, run: ClientRun) => {
      if (run.events !== events || run.chars !== events * piece.length) {
        throw new Error(`${name} read ${run.events} events of ${run.chars} characters; expected ${events}.`);
      }
    };
    for (let i = 0; i < alternations; i++) {
      const raw = await runJsonProgram<ClientRun>(RAW_CLIENT, args);
      check("raw-client", raw);
      theirs.push(...raw.roundsMs);
      const poekit = await runJsonProgram<ClientRun>(programs.poekitClient, args);
      check("streamRequest", poekit);
      ours.push(...poekit.roundsMs);
    }
    const perSecond = (ms: number[]) => events / (median(ms) / 1000);
    const figure = perSecond(ours);
    const baseline = perSecond(theirs);
    progress(
      "client",
      `streamRequest ${Math.round(figure)} events/s, raw-client ${Math.round(baseline)} events/s`,
    );
    const rows: Row[] = [
      {
        scenario: `client: one query of ${events.toLocaleString("en-US")} events`,
        label: "events/s (streamRequest)",
        unit: "events/s",
        figure,
        baseline,
        target: { kind: "ratio-at-least", value: 1.0 },
        note: `baseline: raw-client (fetch + eventsource-parser); median of ${ours.length} answers, ${median(ours).toFixed(1)} ms vs ${median(theirs).toFixed(1)} ms each`,
      },
    ];
    return { rows, details: { events, streamRequestMs: ours, rawClientMs: theirs } };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
};

export default client;
