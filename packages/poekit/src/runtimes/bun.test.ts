// The docs' Bun server (every `ts file=bun.ts` block of README.md and docs/), with examples/echo as
// its bot, run by Bun: it must meet the suite run() meets on Node (node.test.ts).
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../test-support/requests.js";
import { bun, serveOnBun } from "./test-support/bun.js";
import { docSnippets } from "./test-support/doc-snippets.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";
import { runtimeTestsEnabled } from "./test-support/runtime-gate.js";

const snippets = docSnippets("bun.ts");

it("docs/deploying.md shows a bun.ts", () => {
  expect(snippets.flatMap((snippet) => snippet.docs)).toContain("docs/deploying.md");
});

describe.runIf(runtimeTestsEnabled(bun))("Bun", () => {
  for (const snippet of snippets) {
    describeEchoServer(`Bun (bun.ts of ${snippet.docs.join(", ")})`, () =>
      serveOnBun(snippet.text, { POE_ACCESS_KEY: TEST_KEY }),
    );
  }
});
