// The docs' Cloudflare Worker (every `ts file=worker.ts` block of README.md and docs/), with
// examples/echo as its bot, bundled as Workers tooling does and served by workerd, the runtime behind
// Workers: it must meet the suite run() meets on Node (node.test.ts).
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "../test-support/requests.js";
import { docSnippets } from "./test-support/doc-snippets.js";
import { describeEchoServer } from "./test-support/echo-server-suite.js";
import { runtimeTestsEnabled } from "./test-support/runtime-gate.js";
import { serveOnWorkerd, workerd } from "./test-support/workerd.js";

const snippets = docSnippets("worker.ts");

it("docs/deploying.md shows a worker.ts", () => {
  expect(snippets.flatMap((snippet) => snippet.docs)).toContain("docs/deploying.md");
});

describe.runIf(runtimeTestsEnabled(workerd))("Cloudflare Workers", () => {
  for (const snippet of snippets) {
    describeEchoServer(`workerd (worker.ts of ${snippet.docs.join(", ")})`, () =>
      serveOnWorkerd(snippet.text, { POE_ACCESS_KEY: TEST_KEY }),
    );
  }
});
