import { describe, expect, it } from "vitest";
import { extractPdfText } from "./pdf-text.js";
import { makePdf } from "./test-support/make-pdf.js";

describe("makePdf (test support)", () => {
  it("writes a cross-reference table whose offsets point at each object", () => {
    const pdf = makePdf(["one", "two"]);
    const text = new TextDecoder().decode(pdf);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.startsWith("xref\n0 8\n", startxref)).toBe(true);
    const entries = text.slice(startxref).split("\n").slice(3, 10);
    expect(entries).toHaveLength(7);
    entries.forEach((entry, index) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      expect(text.startsWith(`${index + 1} 0 obj\n`, Number(entry.slice(0, 10)))).toBe(true);
    });
  });
});

describe("extractPdfText", () => {
  it("reads the text of every page, in order", async () => {
    const pdf = makePdf(["Quarterly report\nRevenue grew (a lot) by 12%", "Second page: outlook \\ risks"]);
    const text = await extractPdfText(pdf);
    expect(text).toBe("Quarterly report\nRevenue grew (a lot) by 12%\n\nSecond page: outlook \\ risks");
  });

  it("leaves the caller's bytes intact", async () => {
    const pdf = makePdf(["kept"]);
    const copy = pdf.slice();
    await extractPdfText(pdf);
    expect(pdf).toEqual(copy);
  });

  it("skips pages without text", async () => {
    expect(await extractPdfText(makePdf(["first", "", "third"]))).toBe("first\n\nthird");
    expect(await extractPdfText(makePdf([""]))).toBe("");
  });

  it.each([
    ["a PDF header followed by garbage", new TextEncoder().encode("%PDF-1.4\nthis is not a PDF body\n")],
    ["random bytes", Uint8Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)],
    ["no bytes at all", new Uint8Array()],
    ["text", new TextEncoder().encode("Hello, I am a text file named .pdf")],
  ])("returns null for %s instead of throwing", async (_, bytes) => {
    await expect(extractPdfText(bytes)).resolves.toBeNull();
  });

  it("returns null for a PDF cut off in the middle", async () => {
    const pdf = makePdf(["some text"]);
    await expect(extractPdfText(pdf.subarray(0, 40))).resolves.toBeNull();
  });
});
