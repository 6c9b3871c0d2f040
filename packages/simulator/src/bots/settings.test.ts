import { readFileSync } from "node:fs";
import { SettingsResponseSchema } from "poekit/protocol";
import { describe, expect, it } from "vitest";
import { InvalidSettingsError, normalizeSettings } from "./settings.js";

const DOCS = new URL("../../../../docs/simulator.md", import.meta.url);

describe("normalizeSettings", () => {
  it("takes Poe's defaults of the settings' response_version for what was left out", () => {
    expect(normalizeSettings({})).toMatchObject({
      allowAttachments: false,
      enableMultiEntityPrompting: false,
    });
    expect(normalizeSettings({ response_version: 2 })).toMatchObject({
      allowAttachments: true,
      enableMultiEntityPrompting: true,
      expandTextAttachments: true,
      enableImageComprehension: false,
      enforceAuthorRoleAlternation: false,
      serverBotDependencies: {},
      introductionMessage: null,
      parameterControls: null,
      rateCard: null,
      costLabel: null,
    });
  });

  it("reads the deprecated names of renamed fields when the new ones are absent", () => {
    expect(normalizeSettings({ custom_rate_card: "old" }).rateCard).toBe("old");
    expect(normalizeSettings({ custom_rate_card: "old", rate_card: "new" }).rateCard).toBe("new");
    expect(normalizeSettings({ enable_multi_bot_chat_prompting: true }).enableMultiEntityPrompting).toBe(
      true,
    );
    expect(
      normalizeSettings({ enable_multi_bot_chat_prompting: true, enable_multi_entity_prompting: false })
        .enableMultiEntityPrompting,
    ).toBe(false);
  });

  it("names the field a wrong setting is in", () => {
    expect(() => normalizeSettings({ allow_attachments: "yes" })).toThrow(InvalidSettingsError);
    expect(() => normalizeSettings({ allow_attachments: "yes" })).toThrow(
      /^Invalid settings at allow_attachments: /,
    );
  });
});

describe("docs/simulator.md", () => {
  it("says what every field of the settings reply does in the simulator", () => {
    const docs = readFileSync(DOCS, "utf8");
    const section = docs.slice(docs.indexOf("### What each setting does here"));
    const rows = section.split("\n\n").find((block) => block.startsWith("| field")) ?? "";
    const firstColumns = rows.split("\n").map((row) => row.split("|")[1] ?? "");
    const documented = new Set(
      firstColumns.flatMap((cell) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])),
    );
    for (const field of Object.keys(SettingsResponseSchema.shape)) {
      expect(documented, `${field} has a row`).toContain(field);
    }
  });
});
