import { describe, expect, it } from "vitest";
import { headingAnchors } from "./heading-anchors.js";

describe("headingAnchors", () => {
  it("makes GitHub's anchors: lower case, punctuation and backticks dropped, spaces as hyphens", () => {
    const text = "# Writing a bot\n## How a response is written (and why)\n### `poekit serve --workers`\n";
    expect([...headingAnchors(text)]).toEqual([
      "writing-a-bot",
      "how-a-response-is-written-and-why",
      "poekit-serve---workers",
    ]);
  });

  it("numbers repeated headings and skips # lines in code blocks", () => {
    const text = "## Tests\n```sh\n# not a heading\n```\n## Tests\n";
    expect([...headingAnchors(text)]).toEqual(["tests", "tests-1"]);
  });
});
