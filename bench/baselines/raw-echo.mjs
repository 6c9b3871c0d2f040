// The practical ceiling for a Node bot server: node:http and nothing else. It parses the request body as
// JSON and writes the same SSE bytes a poekit bot would, with no validation beyond what it needs.
//
//   node bench/baselines/raw-echo.mjs [--port 8080] [--mode echo|stream|sleep] [--events N] [--chars N] [--interval ms]
//
// echo:   one `text` event with the last message's content, then `done` (what examples/echo answers).
// stream: `--events` text events of `--chars` characters each, written one by one, then `done`.
// sleep:  `--events` text events, one every `--interval` ms, each carrying the time it was due
//         (`<index>@<epoch ms>`), so a client can measure how late it arrived.
// Under a parent's IPC channel (the bench), it reports its port and, when asked, its memory use.
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    mode: { type: "string", default: "echo" },
    events: { type: "string", default: "100" },
    chars: { type: "string", default: "10" },
    interval: { type: "string", default: "1000" },
  },
});
const mode = values.mode;
const events = Number(values.events);
const intervalMs = Number(values.interval);
const pieceText = "0123456789".repeat(Math.ceil(Number(values.chars) / 10)).slice(0, Number(values.chars));

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};
const DONE = "event: done\r\ndata: {}\r\n\r\n";
const textFrame = (text) => `event: text\r\ndata: ${JSON.stringify({ text })}\r\n\r\n`;
const pieceFrame = textFrame(pieceText);
const now = () => performance.timeOrigin + performance.now();

const server = createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(req.method === "GET" ? 200 : 405, { "content-type": "text/plain" });
    res.end("raw-echo\n");
    return;
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let request;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"detail":"The request body is not valid JSON."}');
      return;
    }
    if (request?.type !== "query" || !Array.isArray(request.query)) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end('{"detail":"Not a query request."}');
      return;
    }
    if (mode === "echo") answerEcho(res, request);
    else if (mode === "stream") answerStream(res);
    else answerSleeping(res);
  });
});

function answerEcho(res, request) {
  const body = textFrame(String(request.query.at(-1)?.content ?? "")) + DONE;
  res.writeHead(200, { ...SSE_HEADERS, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function answerStream(res) {
  res.writeHead(200, SSE_HEADERS);
  for (let i = 0; i < events; i++) res.write(pieceFrame);
  res.end(DONE);
}

function answerSleeping(res) {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  const start = now();
  let sent = 0;
  let timer;
  const next = () => {
    const due = start + (sent + 1) * intervalMs;
    timer = setTimeout(() => {
      res.write(textFrame(`${sent}@${due}`));
      sent++;
      if (sent < events) next();
      else res.end(DONE);
    }, due - now());
  };
  res.on("close", () => clearTimeout(timer));
  next();
}

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  if (process.send) {
    process.send({ type: "ready", port });
    process.on("message", (message) => {
      if (message?.type === "stats") {
        process.send?.({
          type: "stats",
          rss: process.memoryUsage.rss(),
          maxRss: process.resourceUsage().maxRSS * 1024,
        });
      }
    });
    process.on("disconnect", () => process.exit(0));
  } else {
    console.log(`raw-echo (${mode}) listening on http://${values.host}:${port}/`);
  }
});
