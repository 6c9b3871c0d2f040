// Slow, by design (20 s or more): walks docs/quick-start.md as a reader does, in a new folder, on
// tarballs packed from this working tree. Each step's blocks run in order, as written (see
// docs/quick-start/doc-steps.ts for the fences' attributes): a command that fails, a line a background
// command never prints, an output the doc shows that never comes, or a file the doc shows that differs
// fails the step. Then the test checks what the reader would see in the browser or on Poe.
// Installs run offline from npm's cache where they can (npm_config_prefer_offline), with POE_API_BASE_URL
// pointing at a local stand-in for Poe: there is no internet where tests run. The doc's ports, 8080 and
// 7777, are used when free; when taken, the walk moves them (quick-start/ports.ts says how).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, REPO_ROOT } from "../packages/cli/src/test-support/build-if-stale.js";
import { readSteps } from "./quick-start/doc-steps.js";
import { packWorkspace } from "./quick-start/pack-workspace.js";
import { BOT_ACCESS_KEY } from "./quick-start/placeholders.js";
import { choosePorts } from "./quick-start/ports.js";
import { sayInChat } from "./quick-start/simulator-chat.js";
import { type StandInPoe, startStandInPoe } from "./quick-start/stand-in-poe.js";
import { Walk } from "./quick-start/walk.js";

const DOC = "docs/quick-start.md";
/** How long one block may run, or a line or an output take to come. */
const BLOCK_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 300_000;

const steps = readSteps(readFileSync(path.join(REPO_ROOT, DOC), "utf8"));
let root: string | undefined;
let standIn: StandInPoe | undefined;
let walk: Walk | undefined;
/** The first step that failed: the later ones are skipped, since they build on it. */
let failedStep: number | undefined;

beforeAll(async () => {
  buildIfStale();
  root = mkdtempSync(path.join(tmpdir(), "poekit-quick-start-"));
  // Where step 1's skipped block leaves them: packs/ of a clone named poekit, beside the project.
  await packWorkspace(path.join(root, "poekit", "packs"), BLOCK_TIMEOUT_MS);
  standIn = await startStandInPoe();
  walk = new Walk({
    doc: DOC,
    root,
    ports: await choosePorts(),
    timeoutMs: BLOCK_TIMEOUT_MS,
    env: {
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
      POE_API_BASE_URL: standIn.url,
    },
  });
}, STEP_TIMEOUT_MS);

afterAll(async () => {
  walk?.close();
  await standIn?.close();
  if (root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}, 60_000);

/** The conversation `npm run dev` printed the address of. */
function chatUrl(): string {
  const [, url = ""] = /chat with my-bot at (\S+)/.exec(walk?.outputOf("npm run dev") ?? "") ?? [];
  return url;
}

/** What the reader sees after a step beyond the terminal: the chat page, the deploy, Poe. */
const AFTER_STEP: Record<number, () => Promise<void>> = {
  2: async () => expect(await sayInChat(chatUrl(), "Hello", BLOCK_TIMEOUT_MS)).toBe("Hello"),
  3: async () => expect(await sayInChat(chatUrl(), "Hello", BLOCK_TIMEOUT_MS)).toBe("olleH"),
  6: async () => expect(walk?.skipped.map((skipped) => skipped.reason)).toContain("needs a Docker engine"),
  7: async () => {
    const sync = standIn?.received.find((request) =>
      request.path.startsWith(`/bot/update_settings/MyBot/${BOT_ACCESS_KEY}/`),
    );
    expect(sync, JSON.stringify(standIn?.received)).toBeDefined();
    expect(JSON.parse(sync?.body ?? "{}")).toMatchObject({
      introduction_message: "Say anything, and I will say it backwards.",
    });
  },
};

// The walk runs `sh`, which Windows lacks.
describe.skipIf(process.platform === "win32")("docs/quick-start.md, walked", () => {
  it("has the steps the checks above are for, numbered from 1", () => {
    expect(steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  for (const step of steps) {
    it(`${step.number}. ${step.title}`, { timeout: STEP_TIMEOUT_MS }, async (context) => {
      if (failedStep !== undefined) context.skip(`step ${failedStep} failed`);
      try {
        await walk?.runStep(step);
        await AFTER_STEP[step.number]?.();
      } catch (error) {
        failedStep = step.number;
        throw error;
      }
    });
  }
});
