// The poekit side of the client scenario: `streamRequest` reading the same answer as
// bench/baselines/raw-client.mjs, with the same flags and the same JSON line on stdout.
import { parseArgs } from "node:util";
import { PartialResponse, streamRequest } from "poekit";
import { buildQueryRequest } from "poekit/protocol";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    rounds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
  },
});
if (!values.url) throw new Error("poekit-client needs --url");
const url = new URL(values.url);
const botName = "bench";
const baseUrl = new URL(".", url).href;

const request = buildQueryRequest({
  query: ["Hello"],
  user_id: "u-bench",
  conversation_id: "c-bench",
  message_id: "m-bench",
});

async function readAnswer(): Promise<{ events: number; chars: number }> {
  let events = 0;
  let chars = 0;
  for await (const message of streamRequest(request, botName, null, {
    baseUrl,
    retries: 1,
    reportErrors: false,
  })) {
    if (message instanceof PartialResponse) {
      events++;
      chars += message.text.length;
    }
  }
  return { events, chars };
}

for (let i = 0; i < Number(values.warmup); i++) await readAnswer();
const roundsMs: number[] = [];
let last = { events: 0, chars: 0 };
for (let i = 0; i < Number(values.rounds); i++) {
  const start = performance.now();
  last = await readAnswer();
  roundsMs.push(performance.now() - start);
}
console.log(JSON.stringify({ ...last, roundsMs }));
