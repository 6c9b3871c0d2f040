/**
 * Generators of hostile input for the bad-input tests (`*.fuzz.test.ts`) of the SDK and the simulator:
 * JSON of every shape, valid requests mutated field by field, strings that are huge, deep, unicode or
 * markup, random bytes, truncated bodies, and raw HTTP that breaks the framing.
 */
import fc from "fast-check";
import { MAX_JSON_DEPTH } from "../protocol/json-depth.js";
import { PROTOCOL_VERSION } from "../protocol/version.js";
import { TEST_KEY } from "./requests.js";

/** The environment variable that sets how many generated cases each bad-input property tries. */
export const FUZZ_RUNS_ENV = "POEKIT_FUZZ_RUNS";

/**
 * How many cases a bad-input property tries: `$POEKIT_FUZZ_RUNS` when set (the soak run sets 100,000),
 * else `defaultRuns` (what `npm test` tries).
 * @example
 * await fc.assert(property, { numRuns: fuzzRuns(2_000) });
 */
export function fuzzRuns(defaultRuns: number): number {
  const raw = process.env[FUZZ_RUNS_ENV]?.trim();
  if (!raw) return defaultRuns;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`${FUZZ_RUNS_ENV} must be a whole number of at least 1, got "${raw}".`);
  }
  return runs;
}

/**
 * A test timeout for `runs` cases of about `msPerRun` each, never under vitest's usual 20 s; so the
 * soak run's 100,000 cases get the time they need.
 * @example
 * it("never answers 5xx", { timeout: fuzzTimeout(runs, 5) }, async () => {});
 */
export function fuzzTimeout(runs: number, msPerRun: number): number {
  return Math.max(20_000, Math.ceil(runs * msPerRun) + 10_000);
}

/** Strings that have broken parsers, renderers and loggers: markup, separators, surrogates, controls. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "\r\n\r\nevent: done\r\ndata: {}\r\n\r\n",
  "\n\nevent: error\ndata: {}\n\n",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "[click](javascript:alert(1))",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%2e%2e%2f%2e%2e%2f",
  "\ud800",
  "\udfff\ud800",
  "😀".repeat(50),
  "\u202e\u2066\u200b\ufeff",
  "\u2028\u2029",
  "NaN",
  "null",
  "__proto__",
  "constructor",
  "{}",
  "Bearer ",
  "𝔲𝔫𝔦𝔠𝔬𝔡𝔢 ǅ Ⅻ ﬀ",
];

/** Any string: mostly short and arbitrary (lone surrogates included), sometimes a nasty one. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }), weight: 1 },
);

/** A string of `minLength` (default 10,000, or less when `maxLength` is) to `maxLength` characters, for size limits. */
export function hugeString(
  maxLength = 300_000,
  minLength = Math.min(10_000, maxLength),
): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: minLength, max: maxLength }), fc.constantFrom("a", "é", "😀", "\\", '"', "<"))
    .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
}

/**
 * JSON text of arrays or objects nested `depth` levels, built as text: `JSON.stringify` itself would
 * overflow the stack on the deepest ones.
 * @example
 * nestedJsonText(3, "array"); // "[[[]]]"
 */
export function nestedJsonText(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? "[".repeat(depth) + "]".repeat(depth)
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** Nesting around the depth limit, and far past it (where a recursive walk overflows the stack). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: MAX_JSON_DEPTH - 3, max: MAX_JSON_DEPTH + 3 }),
      fc.integer({ min: 1_000, max: 100_000 }),
    ),
    fc.constantFrom("array" as const, "object" as const),
  )
  .map(([depth, kind]) => nestedJsonText(depth, kind));

/** Any JSON value, as a value (JSON text has its own generators). */
export const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  anyString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1, [], {}),
);

/** The request types a bot server knows, and some it does not. */
export const REQUEST_TYPES = [
  "query",
  "settings",
  "report_feedback",
  "report_reaction",
  "report_error",
] as const;
export type KnownRequestType = (typeof REQUEST_TYPES)[number];

/** One valid body of each request type, with the fields a mutation can work on. */
export function validBody(type: KnownRequestType): Record<string, unknown> {
  const envelope = { version: PROTOCOL_VERSION, type };
  const ids = { user_id: "u-1", conversation_id: "c-1", message_id: "m-1" };
  switch (type) {
    case "query":
      return {
        ...envelope,
        ...ids,
        query: [
          { role: "system", content: "Be brief." },
          {
            role: "user",
            content: "Hello",
            attachments: [{ url: "https://files.test/a.txt", content_type: "text/plain", name: "a.txt" }],
            feedback: [{ type: "like", reason: null }],
            parameters: { temperature: 0.5 },
            referenced_message: { role: "bot", content: "earlier" },
          },
        ],
        temperature: 0.7,
        stop_sequences: ["\n"],
        logit_bias: { "42": 1 },
        tools: [
          {
            type: "function",
            function: { name: "f", description: "d", parameters: { type: "object", properties: {} } },
          },
        ],
      };
    case "settings":
      return { ...envelope };
    case "report_feedback":
      return { ...envelope, ...ids, feedback_type: "like" };
    case "report_reaction":
      return { ...envelope, ...ids, reaction: "👍" };
    case "report_error":
      return { ...envelope, message: "bad event", metadata: { event: "purr" } };
  }
}

/** A path into a JSON value: object keys and array indices. */
type JsonPath = ReadonlyArray<string | number>;

/** Every path inside `value` (containers included), the root first. */
function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [prefix];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, index]));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

/** What a mutation does at one place of a valid body. */
type Mutation =
  | { kind: "delete" }
  | { kind: "replace"; value: unknown }
  | { kind: "huge"; value: string }
  | { kind: "deep"; text: string };

const DEEP_MARKER = "\u0000deep\u0000";

/** `body` with the mutations applied at their places, as JSON text. */
function applyMutations(body: Record<string, unknown>, mutations: ReadonlyArray<[number, Mutation]>): string {
  const copy = structuredClone(body);
  const paths = pathsOf(copy).slice(1);
  const deep: string[] = [];
  for (const [pick, mutation] of mutations) {
    const path = paths[pick % paths.length] as JsonPath;
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as never)?.[key], copy) as
      | Record<string | number, unknown>
      | undefined;
    const key = path.at(-1) as string | number;
    if (typeof parent !== "object" || parent === null) continue;
    if (mutation.kind === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (mutation.kind === "deep") {
      deep.push(mutation.text);
      parent[key] = `${DEEP_MARKER}${deep.length - 1}`;
    } else {
      // A copy: fast-check may hand the same object to two mutations, and a later one whose path
      // leads into the first could then put that object inside itself (circular JSON).
      parent[key] = structuredClone(mutation.value);
    }
  }
  const text = JSON.stringify(copy);
  // Deep values are spliced in as text, which JSON.stringify could not have written.
  return deep.length === 0
    ? text
    : text.replace(/"\\u0000deep\\u0000(\d+)"/g, (_, index: string) => deep[Number(index)] ?? "null");
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: "delete" as const }), weight: 3 },
  { arbitrary: anyJsonValue.map((value) => ({ kind: "replace" as const, value })), weight: 5 },
  { arbitrary: fc.constant({ kind: "replace" as const, value: null }), weight: 2 },
  { arbitrary: hugeString(120_000).map((value) => ({ kind: "huge" as const, value })), weight: 1 },
  { arbitrary: deepJsonText.map((text) => ({ kind: "deep" as const, text })), weight: 1 },
);

/** A valid body of a known type, with one to three fields deleted, nulled, retyped, blown up or nested deep. */
export const mutatedBody: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...REQUEST_TYPES),
    fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
  )
  .map(([type, mutations]) => applyMutations(validBody(type), mutations));

/** A valid body of a known type, sometimes with unknown extra keys (which must be accepted). */
export const validBodyText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...REQUEST_TYPES),
    fc.dictionary(fc.string({ maxLength: 8 }), anyJsonValue, { maxKeys: 3 }),
  )
  .map(([type, extra]) => JSON.stringify({ ...extra, ...validBody(type) }));

/** A request body of any kind: text, bytes, or a stream of bytes (which may fail half way). */
export type FuzzBody =
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "stream"; chunks: Uint8Array[]; failAfter: boolean }
  | { kind: "none" };

const utf8 = new TextEncoder();

/** Splits bytes into up to four chunks at generated places. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.slice(start, point));
    start = Math.max(start, point);
  }
  return chunks;
}

/** Body text of every kind a bot server may be sent, valid ones included so the hooks are reached. */
export const bodyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validBodyText, weight: 4 },
  { arbitrary: mutatedBody, weight: 8 },
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 2 },
  { arbitrary: anyString, weight: 1 },
  { arbitrary: deepJsonText, weight: 1 },
  {
    // A valid body cut short, as a dropped connection leaves it.
    arbitrary: fc.tuple(validBodyText, fc.nat()).map(([text, cut]) => text.slice(0, cut % text.length)),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom("other", "Query", "", " query", "query\u0000", "__proto__", "toString"),
        anyJsonValue,
      )
      .map(([type, extra]) => JSON.stringify({ version: "1.2", type, extra })),
    weight: 1,
  },
);

/** Any body: text as above, random bytes (often not UTF-8), a chunked stream that may break, or none. */
export const fuzzBody: fc.Arbitrary<FuzzBody> = fc.oneof(
  { arbitrary: bodyText.map((text) => ({ kind: "text" as const, text })), weight: 12 },
  {
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: "bytes" as const, bytes })),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(bodyText, fc.array(fc.nat(), { maxLength: 3 }), fc.boolean())
      .map(([text, cuts, failAfter]) => ({
        kind: "stream" as const,
        chunks: chunked(utf8.encode(text), cuts),
        failAfter,
      })),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: "none" as const }), weight: 1 },
);

/** Authorization headers: the right key in several spellings, wrong keys, wrong schemes, none. */
export const authorization: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    arbitrary: fc.constantFrom(`Bearer ${TEST_KEY}`, `bearer ${TEST_KEY}`, `BEARER   ${TEST_KEY}  `),
    weight: 10,
  },
  {
    arbitrary: fc.constantFrom(
      undefined,
      "",
      "Bearer",
      "Bearer ",
      `Basic ${TEST_KEY}`,
      TEST_KEY,
      `Bearer ${TEST_KEY.slice(1)}`,
      `Bearer ${TEST_KEY}x`,
      `Bearer ${TEST_KEY.toUpperCase()}`,
      `Bearer ${"k".repeat(10_000)}`,
      `Bearer ${TEST_KEY} ${TEST_KEY}`,
    ),
    weight: 3,
  },
  // Header values are bytes: only characters up to U+00FF, and no CR, LF or NUL.
  {
    arbitrary: fc
      .string({
        unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
        maxLength: 60,
      })
      .map((text) => `Bearer ${text}`),
    weight: 1,
  },
);

/** A whole request to a bot server's handler. */
export interface FuzzRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** A `content-length` header to send as it is (a lie, or not a number), or none. */
  contentLength: string | undefined;
  body: FuzzBody;
}

/** Requests of every kind: mostly POSTs to the bot's path with the right key, to reach every hook. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.oneof(
    { arbitrary: fc.constant("POST"), weight: 12 },
    {
      arbitrary: fc.constantFrom("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "post", "PROPFIND"),
      weight: 1,
    },
  ),
  path: fc.oneof(
    { arbitrary: fc.constant("/"), weight: 12 },
    {
      arbitrary: fc.constantFrom("/other", "//", "/%2e%2e/", "/..%2f", "/?type=query", "/é", "/%00"),
      weight: 1,
    },
  ),
  authorization,
  contentType: fc.constantFrom(
    undefined,
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=x",
    "\u00e9",
  ),
  contentLength: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 10 },
    { arbitrary: fc.constantFrom("0", "1", "-1", "abc", "1e3", "99999999999999999999", " 5"), weight: 1 },
  ),
  body: fuzzBody,
});

/**
 * The web `Request` for a generated case against `origin`. A body is only sent with methods that
 * may have one.
 * @example
 * const response = await app.fetch(toRequest(generated, "http://bot.test"));
 */
export function toRequest(generated: FuzzRequest, origin: string): Request {
  const headers = new Headers();
  if (generated.authorization !== undefined) headers.set("authorization", generated.authorization);
  if (generated.contentType !== undefined) headers.set("content-type", generated.contentType);
  const bodyAllowed = generated.method !== "GET" && generated.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = { method: generated.method, headers };
  if (bodyAllowed) {
    const body = generated.body;
    if (body.kind === "text") init.body = body.text;
    else if (body.kind === "bytes") init.body = new Uint8Array(body.bytes);
    else if (body.kind === "stream") {
      init.body = streamOf(body.chunks, body.failAfter);
      init.duplex = "half";
    }
    if (generated.contentLength !== undefined) headers.set("content-length", generated.contentLength);
  }
  return new Request(`${origin}${generated.path}`, init);
}

/** A byte stream of `chunks`, which errors at the end instead of closing when `fail` is set. */
function streamOf(chunks: readonly Uint8Array[], fail: boolean): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk !== undefined) controller.enqueue(new Uint8Array(chunk));
      else if (fail) controller.error(new Error("connection reset by the fuzzer"));
      else controller.close();
    },
  });
}

/** Raw bytes to write on a connection to an HTTP server, and whether to half-close it afterwards. */
export interface RawHttpCase {
  bytes: Uint8Array;
  /** End the writing side after the bytes (the server sees EOF); else keep it open, silent. */
  halfClose: boolean;
}

/** A well-formed HTTP/1.1 POST, as text. */
function rawPost(body: string, headers: Record<string, string>, path = "/"): string {
  const length = utf8.encode(body).length;
  const lines = Object.entries({ host: "127.0.0.1", "content-length": String(length), ...headers }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  return `POST ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
}

/**
 * Requests that break HTTP's framing, written out by hand: lying, negative and conflicting lengths,
 * broken chunking, smuggling attempts, bad header lines, huge headers, upgrades, absolute and dotted
 * paths, bad hosts and versions, garbage, pipelining.
 * @example
 * for (const text of nastyRawRequests(TEST_KEY)) await rawExchange(port, utf8.encode(text), { halfClose: true });
 */
export function nastyRawRequests(key: string): string[] {
  const auth = `Bearer ${key}`;
  const body = JSON.stringify(validBody("settings"));
  const head = (extra: string) =>
    `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: ${auth}\r\ncontent-type: application/json\r\n${extra}\r\n`;
  return [
    head("content-length: 100\r\n") + body,
    head("content-length: -1\r\n") + body,
    head("content-length: abc\r\n") + body,
    head(`content-length: ${body.length}\r\ncontent-length: 3\r\n`) + body,
    head(`content-length: ${body.length}\r\ntransfer-encoding: chunked\r\n`) + body,
    head("content-length: 99999999999\r\n") + body,
    `${head("transfer-encoding: chunked\r\n")}zz\r\n${body}\r\n0\r\n\r\n`,
    `${head("transfer-encoding: chunked\r\n")}${body.length.toString(16)}\r\n${body}\r\n`,
    `${head("transfer-encoding: chunked\r\n")}5;ext=1\r\n{"ver\r\n0\r\n\r\n`,
    `${head("transfer-encoding: gzip, chunked\r\n")}0\r\n\r\n`,
    head(`content-length: ${body.length}\r\nexpect: 100-continue\r\n`) + body,
    head(`content-length: ${body.length}\r\nx-bad\u0000: 1\r\n`) + body,
    head(`content-length: ${body.length}\r\nno colon here\r\n`) + body,
    head(`content-length: ${body.length}\r\nx-folded: a\r\n b\r\n`) + body,
    head(`content-length: ${body.length}\r\nx-big: ${"a".repeat(20_000)}\r\n`) + body,
    head(`content-length: ${body.length}\r\nconnection: upgrade\r\nupgrade: websocket\r\n`) + body,
    head(`content-length: ${body.length}\r\nconnection: upgrade, http2-settings\r\nupgrade: h2c\r\n`) + body,
    `POST http://evil.example/ HTTP/1.1\r\nhost: evil.example\r\nauthorization: ${auth}\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    `POST /\\..\\ HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n\r\n`,
    `POST /../../etc/passwd HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 0\r\n\r\n`,
    `POST / HTTP/1.1\r\nhost: a b\r\ncontent-length: 0\r\n\r\n`,
    `POST / HTTP/1.1\r\ncontent-length: 0\r\n\r\n`,
    `POST / HTTP/1.0\r\ncontent-length: ${body.length}\r\nauthorization: ${auth}\r\n\r\n${body}`,
    `POST / HTTP/9.9\r\nhost: x\r\n\r\n`,
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "GET /\r\n\r\n",
    "\r\n\r\n\r\n",
    "\u0000\u0001\u0002\u00ff",
    `${rawPost(body, { authorization: auth })}${"garbage after a request\r\n\r\n"}`,
    `${rawPost(body, { authorization: auth })}${rawPost(body, { authorization: auth })}`,
  ];
}

/**
 * Raw HTTP for a bot server on a real socket: well-formed POSTs (generated bodies, right and wrong
 * keys), the same with lying lengths, cut short anywhere or with bytes overwritten, hand-written
 * framing attacks, and random bytes. `key` is the bot's access key.
 */
export function rawHttpCase(key: string): fc.Arbitrary<RawHttpCase> {
  const auth = fc.constantFrom(`Bearer ${key}`, `bearer ${key}`, "Bearer wrong", "");
  const wellFormed = fc
    .tuple(bodyText, auth, fc.boolean())
    .map(([body, authorization, close]) =>
      rawPost(body, close ? { authorization, connection: "close" } : { authorization }),
    );
  const bytes = fc.oneof(
    { arbitrary: wellFormed.map((text) => utf8.encode(text)), weight: 4 },
    {
      // Cut short: the headers, or the body, end early.
      arbitrary: fc
        .tuple(wellFormed, fc.nat())
        .map(([text, cut]) => utf8.encode(text).slice(0, cut % text.length)),
      weight: 3,
    },
    {
      // Bytes overwritten with ones that matter to the parser.
      arbitrary: fc
        .tuple(
          wellFormed,
          fc.array(fc.tuple(fc.nat(), fc.constantFrom(0x00, 0x0a, 0x0d, 0x20, 0x3a, 0x7f, 0xff, 0x2d)), {
            minLength: 1,
            maxLength: 4,
          }),
        )
        .map(([text, edits]) => {
          const out = utf8.encode(text);
          for (const [at, value] of edits) out[at % Math.min(out.length, 200)] = value;
          return out;
        }),
      weight: 3,
    },
    { arbitrary: fc.constantFrom(...nastyRawRequests(key)).map((text) => utf8.encode(text)), weight: 3 },
    { arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }), weight: 1 },
  );
  return fc.record({
    bytes,
    halfClose: fc.oneof(
      { arbitrary: fc.constant(true), weight: 4 },
      { arbitrary: fc.constant(false), weight: 1 },
    ),
  });
}
