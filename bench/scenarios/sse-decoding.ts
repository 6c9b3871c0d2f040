// SSE decoding of a recorded stream (50 MB in the full run) cut into chunks of random sizes: poekit's
// SseDecoder against eventsource-parser (with the TextDecoder a client needs in front of it).
// Target: MB/s ≥ 1.0 × eventsource-parser. The stream is generated from a seed, the same every run.
import { createParser } from "eventsource-parser";
import { SseDecoder } from "poekit/protocol";
import { progress, type Scenario } from "../lib/scenario.js";
import { generateSseStream, randomChunks } from "../lib/sse-stream.js";
import { median } from "../lib/stats.js";
import type { Row } from "../lib/verdict.js";

const SEED = 20_261_125;

interface Decoded {
  events: number;
  dataChars: number;
}

function decodeWithPoekit(chunks: readonly Uint8Array[]): Decoded {
  const decoder = new SseDecoder();
  let events = 0;
  let dataChars = 0;
  for (const chunk of chunks) {
    for (const event of decoder.push(chunk)) {
      events++;
      dataChars += event.data.length;
    }
  }
  decoder.end();
  return { events, dataChars };
}

function decodeWithEventsourceParser(chunks: readonly Uint8Array[]): Decoded {
  let events = 0;
  let dataChars = 0;
  const parser = createParser({
    onEvent(event) {
      events++;
      dataChars += event.data.length;
    },
  });
  const text = new TextDecoder();
  for (const chunk of chunks) parser.feed(text.decode(chunk, { stream: true }));
  parser.feed(text.decode());
  return { events, dataChars };
}

const sseDecoding: Scenario = async ({ profile }) => {
  const { megabytes, rounds } = profile.sseDecoding;
  const stream = generateSseStream({ seed: SEED, size: megabytes * 1e6 });
  const chunks = randomChunks(stream.bytes, { seed: SEED + 1, minBytes: 1, maxBytes: 65_536 });
  const sizeMb = stream.bytes.length / 1e6;
  progress("sse-decoding", `${sizeMb.toFixed(1)} MB, ${stream.events} events, ${chunks.length} chunks`);

  const decoders = [
    { name: "SseDecoder", decode: decodeWithPoekit, times: [] as number[] },
    { name: "eventsource-parser", decode: decodeWithEventsourceParser, times: [] as number[] },
  ];
  const timed = (decoder: (typeof decoders)[number]) => {
    const start = performance.now();
    const result = decoder.decode(chunks);
    const ms = performance.now() - start;
    if (result.events !== stream.events || result.dataChars !== stream.dataChars) {
      throw new Error(
        `${decoder.name} found ${result.events} events (${result.dataChars} data characters); the stream has ${stream.events} (${stream.dataChars}).`,
      );
    }
    return ms;
  };
  for (const decoder of decoders) timed(decoder);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? decoders : [...decoders].reverse();
    for (const decoder of order) decoder.times.push(timed(decoder));
  }
  const [ours, theirs] = decoders.map((decoder) => sizeMb / (median(decoder.times) / 1000)) as [
    number,
    number,
  ];
  progress(
    "sse-decoding",
    `SseDecoder ${ours.toFixed(1)} MB/s, eventsource-parser ${theirs.toFixed(1)} MB/s`,
  );
  const rows: Row[] = [
    {
      scenario: `SSE decoding, ${Math.round(sizeMb)} MB in random chunks`,
      label: "MB/s (SseDecoder)",
      unit: "MB/s",
      figure: ours,
      baseline: theirs,
      target: { kind: "ratio-at-least", value: 1.0 },
      note: `baseline: eventsource-parser with a streaming TextDecoder; ${chunks.length} chunks of 1 B to 64 KiB; median of ${rounds}`,
    },
  ];
  return {
    rows,
    details: {
      bytes: stream.bytes.length,
      events: stream.events,
      chunks: chunks.length,
      sseDecoderMs: decoders[0]?.times,
      eventsourceParserMs: decoders[1]?.times,
    },
  };
};

export default sseDecoding;
