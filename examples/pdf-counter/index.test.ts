import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestClient } from "poekit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPdfPages } from "./count-pages.js";
import bot, { describeCount, isPdf, PdfCounterBot } from "./index.js";

/**
 * A small valid PDF of `pageCount` blank pages: catalog, page tree, pages, and a cross-reference
 * table whose offsets are the byte positions of the objects (all ASCII, so string lengths).
 */
function makePdf(pageCount: number): Uint8Array {
  const pageIds = Array.from({ length: pageCount }, (_, index) => index + 3);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageCount} >>`,
    ...pageIds.map(() => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"),
  ];
  let text = "%PDF-1.4\n";
  const offsets = objects.map((body, index) => {
    const offset = text.length;
    text += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(text);
}

/** What the loopback server answers, by path. */
const FILES: Record<string, { status?: number; type: string; body: Uint8Array | string }> = {
  "/three.pdf": { type: "application/pdf", body: makePdf(3) },
  "/one.pdf": { type: "application/pdf", body: makePdf(1) },
  "/fake.pdf": { type: "application/pdf", body: "Just some text, not a PDF at all." },
  "/big.pdf": { type: "application/pdf", body: makePdf(40) },
  "/gone.pdf": { status: 404, type: "text/plain", body: "Not found" },
};

let server: Server;
let origin: string;
let closedOrigin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/slow.pdf") return; // never answers: the download must time out
    if (request.url === "/streamed.pdf") {
      // No content-length: the size is known only as the body arrives.
      response.writeHead(200, { "content-type": "application/pdf" });
      response.write(makePdf(20));
      response.end(makePdf(20));
      return;
    }
    const file = FILES[request.url ?? ""] ?? { status: 404, type: "text/plain", body: "Not found" };
    response.writeHead(file.status ?? 200, { "content-type": file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again: connections to it are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedOrigin = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const pdf = (path: string, name = path.slice(1)) => ({
  url: `${origin}${path}`,
  content_type: "application/pdf",
  name,
});

describe("pdf-counter", () => {
  it("default-exports a bot that allows attachments", async () => {
    expect(bot).toBeInstanceOf(PdfCounterBot);
    const settings = await createTestClient(new PdfCounterBot()).settings();
    expect(settings.allow_attachments).toBe(true);
    expect(settings.introduction_message).toContain("PDF");
  });

  it("counts the pages of real PDFs with unpdf", async () => {
    expect(await countPdfPages(makePdf(1))).toBe(1);
    expect(await countPdfPages(makePdf(7))).toBe(7);
    await expect(countPdfPages(new TextEncoder().encode("%PDF-1.4 but nothing else"))).rejects.toThrow(
      "it is not a PDF file, or it is damaged",
    );
  });

  it("downloads each attached PDF and answers its page count, one line per file, with a total", async () => {
    const response = await createTestClient(new PdfCounterBot()).query([
      {
        role: "user",
        content: "Count these",
        attachments: [pdf("/three.pdf", "Report_v2.pdf"), pdf("/one.pdf")],
      },
    ]);
    expect(response.error).toBeNull();
    expect(response.done).toBe(true);
    expect(response.text).toBe(
      "- **Report\\_v2.pdf**: 3 pages\n- **one.pdf**: 1 page\n\n**4 pages in all.**",
    );
    expect(response.events.map((event) => event.event)).toEqual(["text", "text", "text", "done"]);
  });

  it("counts the PDFs of the latest message that has attachments", async () => {
    const response = await createTestClient(new PdfCounterBot()).query([
      { role: "user", content: "First", attachments: [pdf("/three.pdf")] },
      { role: "bot", content: "- **three.pdf**: 3 pages" },
      { role: "user", content: "This one now", attachments: [pdf("/one.pdf")] },
      { role: "bot", content: "- **one.pdf**: 1 page" },
      "And how many was that again?",
    ]);
    expect(response.text).toBe("- **one.pdf**: 1 page");
  });

  it("asks for a PDF when nothing is attached", async () => {
    const response = await createTestClient(new PdfCounterBot()).query("How many pages?");
    expect(response.text).toBe("Attach a PDF to your message and I will count its pages.");
    expect(response.done).toBe(true);
  });

  it("says which files it could not count and why, and counts the others", async () => {
    const response = await createTestClient(new PdfCounterBot({ maxBytes: 2000 })).query([
      {
        role: "user",
        content: "Count these",
        attachments: [
          pdf("/gone.pdf"),
          pdf("/fake.pdf"),
          { url: `${origin}/photo.png`, content_type: "image/png", name: "photo.png" },
          { url: `${closedOrigin}/a.pdf`, content_type: "application/pdf", name: "unreachable.pdf" },
          pdf("/big.pdf"),
          pdf("/streamed.pdf"),
          { url: "ftp://files.test/a.pdf", content_type: "application/pdf", name: "ftp.pdf" },
          pdf("/one.pdf"),
        ],
      },
    ]);
    expect(response.error).toBeNull();
    expect(response.text.split("\n")).toEqual([
      "- **gone.pdf**: I could not download it: the server answered HTTP 404 Not Found.",
      "- **fake.pdf**: I could not count its pages: it is not a PDF file, or it is damaged.",
      "- **photo.png**: it is not a PDF (image/png), so I did not open it.",
      expect.stringMatching(
        /^- \*\*unreachable\.pdf\*\*: I could not download it: the connection failed \(.+\)\.$/,
      ),
      "- **big.pdf**: I could not download it: it is larger than 2 KB.",
      "- **streamed.pdf**: I could not download it: it is larger than 2 KB.",
      "- **ftp.pdf**: I could not download it: its URL is not a web address (ftp:).",
      "- **one.pdf**: 1 page",
    ]);
  });

  it("gives up on a download that takes too long", async () => {
    const started = Date.now();
    const result = await new PdfCounterBot({ downloadTimeoutMs: 200 }).countPages(pdf("/slow.pdf"));
    expect(result).toEqual({ problem: "I could not download it: it took longer than 0.2 s" });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("recognises a PDF by its content type or its name", () => {
    expect(isPdf({ content_type: "application/pdf; charset=binary", name: "x" })).toBe(true);
    expect(isPdf({ content_type: "application/octet-stream", name: "Scan.PDF" })).toBe(true);
    expect(isPdf({ content_type: "text/plain", name: "notes.txt" })).toBe(false);
    expect(describeCount("", { pages: 2 })).toBe("- **unnamed file**: 2 pages");
  });
});
