// The docs' Deno server (every `ts file=deno.ts` block of README.md and docs/), with examples/echo as
// its bot, run by Deno: it must meet the suite run() meets on Node (node.test.ts).
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../test-support/requests.js";
import { deno, serveOnDeno } from "./test-support/deno.js";
import { docSnippets } from "./test-support/doc-snippets.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";
import { runtimeTestsEnabled } from "./test-support/runtime-gate.js";

const snippets = docSnippets("deno.ts");

it("docs/deploying.md shows a deno.ts", () => {
  expect(snippets.flatMap((snippet) => snippet.docs)).toContain("docs/deploying.md");
});

describe.runIf(runtimeTestsEnabled(deno))("Deno", () => {
  for (const snippet of snippets) {
    describeEchoServer(`Deno (deno.ts of ${snippet.docs.join(", ")})`, () =>
      serveOnDeno(snippet.text, { POE_ACCESS_KEY: TEST_KEY }),
    );
  }
});
