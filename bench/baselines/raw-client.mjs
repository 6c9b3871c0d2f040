// The ceiling for a bot-query client: fetch, eventsource-parser and JSON.parse, nothing else.
// It asks `--url` for one answer per round and reads every event of it.
//
//   node bench/baselines/raw-client.mjs --url http://127.0.0.1:8080/ [--rounds 10] [--warmup 3]
//
// Prints one JSON line: {"events": <text events per answer>, "chars": <text length>, "roundsMs": [...]}.
import { parseArgs } from "node:util";
import { createParser } from "eventsource-parser";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    rounds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
  },
});
if (!values.url) throw new Error("raw-client needs --url");

const body = JSON.stringify({
  version: "1.2",
  type: "query",
  query: [{ role: "user", content: "Hello" }],
  user_id: "u-bench",
  conversation_id: "c-bench",
  message_id: "m-bench",
});

async function readAnswer() {
  const response = await fetch(values.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body,
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} from ${values.url}`);
  let events = 0;
  let chars = 0;
  let done = false;
  const parser = createParser({
    onEvent(event) {
      if (event.event === "text") {
        events++;
        chars += JSON.parse(event.data).text.length;
      } else if (event.event === "done") {
        done = true;
      }
    },
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (;;) {
    const { done: ended, value } = await reader.read();
    if (ended) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (!done) throw new Error("The answer ended without a done event.");
  return { events, chars };
}

for (let i = 0; i < Number(values.warmup); i++) await readAnswer();
const roundsMs = [];
let last = { events: 0, chars: 0 };
for (let i = 0; i < Number(values.rounds); i++) {
  const start = performance.now();
  last = await readAnswer();
  roundsMs.push(performance.now() - start);
}
console.log(JSON.stringify({ ...last, roundsMs }));
