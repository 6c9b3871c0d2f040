/**
 * Generated requests for every HTTP endpoint of the simulator (routes/*.ts, mounted in app.ts): the
 * right and wrong methods, path parameters that are real ids or hostile text, and bodies that are
 * valid, mutated, random, deep, huge or not JSON at all. Built on the SDK's generators.
 */
import fc from "fast-check";
import {
  anyJsonValue,
  anyString,
  bodyText,
  deepJsonText,
  hugeString,
  NASTY_STRINGS,
} from "../../../poekit/src/test-support/fuzz-inputs.js";

/** Ids and names that exist in the simulator under test, so that generated requests reach deep code. */
export interface KnownIds {
  conversationId: string;
  messageId: string;
  /** A bot registered by URL, with `accessKey`. */
  botName: string;
  accessKey: string;
  botQueryId: string;
  /** A stored file, and the query string of a valid URL for it. */
  fileId: string;
  fileQuery: string;
}

/** A body ready for `fetch`: JSON or other text, form data, bytes, or none. */
export type RouteBody =
  | { kind: "text"; text: string; contentType: string | undefined }
  | { kind: "form"; fields: Array<[string, string | { name: string; type: string; bytes: Uint8Array }]> }
  | { kind: "bytes"; bytes: Uint8Array; contentType: string | undefined }
  | { kind: "none" };

/** One generated request to the simulator. */
export interface RouteRequest {
  /** The route it was made for (its template), for the failure message and the tally. */
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: RouteBody;
}

/** A URL nobody listens on: where generated registrations and downloads may point, never the network. */
export const DEAD_URL = "http://127.0.0.1:9/";

/** Percent-encodes text for a path; a lone surrogate becomes the (invalid) UTF-8 bytes of one. */
function encodeSegment(text: string): string {
  return [...text]
    .map((char) => (/^[\ud800-\udfff]$/.test(char) ? "%ED%A0%80" : encodeURIComponent(char)))
    .join("");
}

/**
 * Text for a path segment: the first of `real` (an id that exists) often, so that generated requests
 * get past the lookups, the others sometimes, hostile text (traversal, broken encodings, unicode) often.
 */
function segment(real: readonly [string, ...string[]]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(real[0]), weight: 5 },
    { arbitrary: fc.constantFrom(...real), weight: 2 },
    { arbitrary: anyString.map(encodeSegment), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        "..",
        "%2e%2e",
        "%2E%2E%2F",
        "..%5c",
        "%00",
        "%",
        "%E0%A4%A",
        "a%2Fb",
        "😀",
        "%u0041",
      ),
      weight: 2,
    },
    { arbitrary: hugeString(5_000).map(encodeSegment), weight: 1 },
  );
}

/** A JSON body: the route's valid one (mutated or not), or anything a bot server could be sent. */
function jsonBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<RouteBody> {
  const mutated = fc
    .tuple(
      valid,
      fc.constantFrom("delete", "null", "retype", "extra", "deep", "huge"),
      fc.nat(),
      anyJsonValue,
    )
    .map(([body, how, pick, value]) => {
      const keys = Object.keys(body);
      const key = keys.length > 0 ? (keys[pick % keys.length] as string) : "x";
      const copy: Record<string, unknown> = { ...body };
      if (how === "delete") delete copy[key];
      else if (how === "null") copy[key] = null;
      else if (how === "retype" || how === "extra") copy[how === "extra" ? `x${pick}` : key] = value;
      else if (how === "huge") copy[key] = "a".repeat(200_000 + (pick % 1_000_000));
      const text = JSON.stringify(copy);
      return how === "deep"
        ? text.replace(/\}$/, `,"deep":${"[".repeat(50_000)}${"]".repeat(50_000)}}`)
        : text;
    });
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: valid.map((body) => JSON.stringify(body)), weight: 4 },
        { arbitrary: mutated, weight: 6 },
        { arbitrary: bodyText, weight: 2 },
        { arbitrary: deepJsonText, weight: 1 },
      ),
      fc.constantFrom("application/json", "application/json", "text/plain", undefined, "multipart/form-data"),
    )
    .map(([text, contentType]) => ({ kind: "text" as const, text, contentType }));
}

/** A multipart form: a file part, a download URL that leads nowhere, or junk fields. */
const formBody: fc.Arbitrary<RouteBody> = fc
  .array(
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom(
            ...NASTY_STRINGS,
            "a.txt",
            "a.html",
            "a.svg",
            "x.js",
            "../../etc/passwd",
            "C:\\boot.ini",
          ),
          fc.constantFrom(
            "text/plain",
            "text/html",
            "image/svg+xml",
            "application/octet-stream",
            "",
            "text/javascript",
          ),
          fc.uint8Array({ maxLength: 200 }),
        )
        .map(
          ([name, type, bytes]) =>
            ["file", { name, type, bytes }] as [string, { name: string; type: string; bytes: Uint8Array }],
        ),
      fc
        .constantFrom(
          DEAD_URL,
          "file:///etc/passwd",
          "javascript:alert(1)",
          "not a url",
          "",
          "ftp://127.0.0.1/",
        )
        .map((url) => ["download_url", url] as [string, string]),
      fc
        .tuple(fc.constantFrom("file", "download_filename", "other"), anyString)
        .map(([name, value]) => [name, value] as [string, string]),
    ),
    { maxLength: 3 },
  )
  .map((fields) => ({ kind: "form" as const, fields }));

/** Any body at all, for any route: JSON, forms, random bytes, nothing. */
const anyBody: fc.Arbitrary<RouteBody> = fc.oneof(
  jsonBody(fc.constant({})),
  formBody,
  fc
    .uint8Array({ maxLength: 300 })
    .map((bytes) => ({ kind: "bytes" as const, bytes, contentType: "application/json" })),
  fc.constant({ kind: "none" as const }),
);

const queryRequest = fc.record({
  version: fc.constant("1.2"),
  type: fc.constant("query"),
  query: fc.constant([{ role: "user", content: "hi" }]),
  user_id: fc.constant("u-1"),
  conversation_id: fc.constant("c-1"),
  message_id: fc.constantFrom("", "m-fuzz"),
});

/**
 * Every endpoint of the simulator, as [method, path template, body generator]. The methods listed are
 * the ones the route answers; the generator also tries the others.
 */
function endpoints(ids: KnownIds): Array<[string, string, fc.Arbitrary<string>, fc.Arbitrary<RouteBody>]> {
  const conversation = segment([ids.conversationId, "c-missing"]);
  const message = segment([ids.messageId, "m-missing"]);
  const bot = segment([ids.botName, "Echo", "Nobody"]);
  const key = segment([ids.accessKey, "wrong-key"]);
  const none = fc.constant<RouteBody>({ kind: "none" });
  const p = (template: string, ...parts: fc.Arbitrary<string>[]) =>
    fc
      .tuple(...parts)
      .map((values) => values.reduce<string>((path, value) => path.replace(/:\w+/, value), template));
  return [
    ["GET", "/api/state", fc.constant("/api/state"), none],
    ["GET", "/api/balance", fc.constant("/api/balance"), none],
    [
      "PUT",
      "/api/balance",
      fc.constant("/api/balance"),
      jsonBody(fc.record({ balance: fc.integer({ min: 0, max: 10 ** 9 }) })),
    ],
    ["GET", "/api/events", fc.constant("/api/events"), none],
    ["GET", "/api/bots", fc.constant("/api/bots"), none],
    [
      "POST",
      "/api/bots",
      fc.constant("/api/bots"),
      jsonBody(
        fc.record({
          name: fc.oneof(fc.constantFrom("Fuzz-Bot", "Echo", "bad name!"), anyString),
          url: fc.constantFrom(DEAD_URL, "ftp://127.0.0.1/", "not a url", "javascript:alert(1)", ""),
          accessKey: fc.oneof(fc.constant(null), anyString),
        }),
      ),
    ],
    ["DELETE", "/api/bots/:name", p("/api/bots/:name", segment(["Nobody", "Echo", "Fuzz-Bot"])), none],
    ["POST", "/api/bots/:name/settings", p("/api/bots/:name/settings", bot), none],
    ["GET", "/api/conversations", fc.constant("/api/conversations"), none],
    [
      "POST",
      "/api/conversations",
      fc.constant("/api/conversations"),
      jsonBody(fc.record({ botName: fc.constantFrom("Echo", "Nobody", ids.botName), title: anyString })),
    ],
    ["GET", "/api/conversations/:id", p("/api/conversations/:id", conversation), none],
    ["DELETE", "/api/conversations/:id", p("/api/conversations/:id", segment(["c-missing"])), none],
    ["POST", "/api/conversations/:id/clear", p("/api/conversations/:id/clear", conversation), none],
    [
      "POST",
      "/api/conversations/:id/messages",
      p("/api/conversations/:id/messages", conversation),
      jsonBody(
        fc.record({
          text: fc.oneof(anyString, fc.constant(`@${ids.botName} hi`), fc.constant("@Nobody hi")),
          attachments: fc.array(fc.oneof(anyString, fc.constant(ids.fileId)), { maxLength: 2 }),
          parameters: fc.dictionary(fc.string({ maxLength: 5 }), anyJsonValue, { maxKeys: 3 }),
        }),
      ),
    ],
    ["POST", "/api/messages/:id/retry", p("/api/messages/:id/retry", message), none],
    [
      "POST",
      "/api/messages/:id/feedback",
      p("/api/messages/:id/feedback", message),
      jsonBody(
        fc.record({
          type: fc.constantFrom("like", "dislike", "love"),
          reason: fc.oneof(fc.constant(null), anyString),
        }),
      ),
    ],
    [
      "POST",
      "/api/messages/:id/reactions",
      p("/api/messages/:id/reactions", message),
      jsonBody(fc.record({ reaction: anyString })),
    ],
    ["GET", "/api/messages/:id/exchanges", p("/api/messages/:id/exchanges", message), none],
    ["POST", "/api/uploads", fc.constant("/api/uploads"), fc.oneof(formBody, anyBody)],
    [
      "POST",
      "/bot/fetch_settings/:bot/:key/:version",
      p("/bot/fetch_settings/:bot/:key/:version", bot, key, segment(["1.2"])),
      none,
    ],
    [
      "POST",
      "/bot/update_settings/:bot/:key/:version",
      p("/bot/update_settings/:bot/:key/:version", bot, key, segment(["1.2"])),
      jsonBody(
        fc.record(
          {
            introduction_message: anyString,
            allow_attachments: fc.oneof(fc.boolean(), anyJsonValue),
            server_bot_dependencies: fc.dictionary(anyString, fc.oneof(fc.nat(3), anyJsonValue), {
              maxKeys: 2,
            }),
            parameter_controls: anyJsonValue,
          },
          { requiredKeys: [] },
        ),
      ),
    ],
    [
      "POST",
      "/bot/cost/:id/:action",
      p(
        "/bot/cost/:id/:action",
        segment([ids.botQueryId, "bq-missing"]),
        segment(["authorize", "capture", "refund"]),
      ),
      jsonBody(
        fc.record({
          amounts: fc.oneof(
            fc.record({ amount_usd_milli_cents: fc.oneof(fc.nat(), anyJsonValue), description: anyString }),
            fc.array(fc.record({ amount_usd_milli_cents: fc.nat() }), { maxLength: 3 }),
          ),
          access_key: fc.constantFrom(ids.accessKey, "wrong"),
        }),
      ),
    ],
    ["POST", "/bot/:name", p("/bot/:name", bot), jsonBody(queryRequest)],
    [
      "POST",
      "/poe_api/file_upload_3RD_PARTY_POST",
      fc.constant("/poe_api/file_upload_3RD_PARTY_POST"),
      fc.oneof(formBody, anyBody),
    ],
    [
      "GET",
      "/files/:id/:name",
      fc
        .tuple(
          segment([ids.fileId, "0".repeat(32)]),
          segment(["a.txt"]),
          fc.constantFrom(
            ids.fileQuery,
            "",
            "?expires=1&signature=00",
            `?expires=99999999999&signature=${"0".repeat(64)}`,
          ),
        )
        .map(([id, name, query]) => `/files/${id}/${name}${query}`),
      none,
    ],
    ["GET", "/", fc.constant("/"), none],
    ["GET", "/assets/:file", p("/assets/:file", segment(["app.js", "..", ".env"])), none],
  ];
}

/**
 * Requests to every endpoint: mostly the route's own method and body, sometimes another method, a
 * body meant for another route, or headers that lie.
 * @example
 * const request = fc.sample(routeRequest(ids), 1)[0];
 */
export function routeRequest(ids: KnownIds): fc.Arbitrary<RouteRequest> {
  const all = endpoints(ids);
  return fc
    .tuple(
      fc.constantFrom(...all),
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 8 },
        { arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"), weight: 2 },
      ),
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: anyBody, weight: 1 }),
      fc.constantFrom<Record<string, string>>(
        {},
        {},
        {},
        { authorization: `Bearer ${ids.accessKey}` },
        { authorization: ids.accessKey },
        { authorization: "Bearer wrong" },
        { "content-length": "abc" },
      ),
    )
    .chain(([[method, route, path, body], otherMethod, otherBody, headers]) =>
      fc.tuple(path, body).map(([concretePath, concreteBody]) => ({
        route,
        method: otherMethod ?? method,
        path: concretePath,
        headers,
        body: otherBody ?? concreteBody,
      })),
    );
}

/** The web `Request` for a generated case, against `origin`. */
export function toRouteRequest(generated: RouteRequest, origin: string): Request {
  const headers = new Headers();
  const init: RequestInit = { method: generated.method, headers };
  const withBody = generated.method !== "GET" && generated.method !== "HEAD";
  const body = generated.body;
  if (withBody && body.kind === "text") {
    init.body = body.text;
    if (body.contentType) headers.set("content-type", body.contentType);
  } else if (withBody && body.kind === "bytes") {
    init.body = new Uint8Array(body.bytes);
    if (body.contentType) headers.set("content-type", body.contentType);
  } else if (withBody && body.kind === "form") {
    const form = new FormData();
    for (const [name, value] of body.fields) {
      form.append(
        name,
        typeof value === "string"
          ? value
          : new File([new Uint8Array(value.bytes)], value.name, { type: value.type }),
      );
    }
    init.body = form;
  }
  for (const [name, value] of Object.entries(generated.headers)) headers.set(name, value);
  return new Request(`${origin}${generated.path}`, init);
}
