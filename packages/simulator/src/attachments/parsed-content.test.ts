import { describe, expect, it, vi } from "vitest";
import { type AttachmentFile, parsedContentFor } from "./parsed-content.js";
import { makePdf } from "./test-support/make-pdf.js";

const utf8 = (text: string) => new TextEncoder().encode(text);
// A GIF logical screen header is the smallest recognisable image: signature, width 4, height 3.
const gifBytes = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 4, 0, 3, 0, 0, 0, 0, 0x3b]);

const textFile: AttachmentFile = {
  bytes: utf8("hello from a file"),
  contentType: "text/plain",
  name: "a.txt",
};
const imageFile: AttachmentFile = { bytes: gifBytes, contentType: "image/gif", name: "dot.gif" };
const both = { expandTextAttachments: true, enableImageComprehension: true };
const neither = { expandTextAttachments: false, enableImageComprehension: false };
const textOnly = { expandTextAttachments: true, enableImageComprehension: false };
const imagesOnly = { expandTextAttachments: false, enableImageComprehension: true };

describe("parsedContentFor", () => {
  it("parses text only when expandTextAttachments is on", async () => {
    expect(await parsedContentFor(textFile, textOnly)).toBe("hello from a file");
    expect(await parsedContentFor(textFile, both)).toBe("hello from a file");
    expect(await parsedContentFor(textFile, imagesOnly)).toBeNull();
    expect(await parsedContentFor(textFile, neither)).toBeNull();
  });

  it("parses PDF and HTML as text", async () => {
    const pdf = {
      bytes: makePdf(["pdf page 1", "pdf page 2"]),
      contentType: "application/pdf",
      name: "d.pdf",
    };
    expect(await parsedContentFor(pdf, textOnly)).toBe("pdf page 1\n\npdf page 2");
    const html = { bytes: utf8("<script>x</script><p>visible</p>"), contentType: "", name: "p.html" };
    expect(await parsedContentFor(html, textOnly)).toBe("visible");
  });

  it("describes images only when enableImageComprehension is on, as name***description", async () => {
    expect(await parsedContentFor(imageFile, textOnly)).toBeNull();
    expect(await parsedContentFor(imageFile, neither)).toBeNull();
    const content = await parsedContentFor(imageFile, imagesOnly);
    expect(content).toMatch(/^dot\.gif\*\*\*An image \(GIF, 4×3 pixels, 14 bytes, named "dot\.gif"\)\. /);
    expect(await parsedContentFor(imageFile, both)).toBe(content);
  });

  it("treats image bytes as an image whatever the declared type", async () => {
    const disguised = { bytes: gifBytes, contentType: "application/octet-stream", name: "upload" };
    expect(await parsedContentFor(disguised, textOnly)).toBeNull();
    expect(await parsedContentFor(disguised, imagesOnly)).toMatch(/^upload\*\*\*An image \(GIF/);
  });

  it("returns null for an image type whose bytes it cannot describe, without a model", async () => {
    const svg = {
      bytes: utf8("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      contentType: "image/svg+xml",
      name: "a.svg",
    };
    expect(await parsedContentFor(svg, both)).toBeNull();
  });

  it("returns null for files that are neither text nor images", async () => {
    const zip = {
      bytes: Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]),
      contentType: "application/zip",
      name: "a.zip",
    };
    const video = { bytes: new Uint8Array(32), contentType: "video/mp4", name: "v.mp4" };
    expect(await parsedContentFor(zip, both)).toBeNull();
    expect(await parsedContentFor(video, both)).toBeNull();
  });

  it("returns null for text that parses to nothing", async () => {
    expect(await parsedContentFor({ ...textFile, bytes: utf8("  \n") }, both)).toBeNull();
    expect(await parsedContentFor({ ...textFile, bytes: new Uint8Array() }, both)).toBeNull();
    const pdf = { bytes: utf8("%PDF-1.4 broken"), contentType: "application/pdf", name: "x.pdf" };
    expect(await parsedContentFor(pdf, both)).toBeNull();
  });

  it("passes the text limit on", async () => {
    const content = await parsedContentFor(textFile, textOnly, { maxTextCharacters: 5 });
    expect(content).toMatch(/^hello\n\n\[The text was cut here/);
  });

  it("keeps '***' out of the name part", async () => {
    const content = await parsedContentFor({ ...imageFile, name: "a***b.gif" }, imagesOnly);
    expect(content?.split("***")[0]).toBe("a**b.gif");
  });

  describe("with a vision model", () => {
    it("asks the model first and uses its description", async () => {
      const model = vi.fn(async () => "  A red dot on white.  ");
      const content = await parsedContentFor({ ...imageFile, contentType: "image/GIF" }, imagesOnly, {
        describeImageWithModel: model,
      });
      expect(content).toBe("dot.gif***A red dot on white.");
      expect(model).toHaveBeenCalledWith({ bytes: gifBytes, contentType: "image/gif", name: "dot.gif" });
    });

    it("falls back to the metadata description when the model fails", async () => {
      const failure = new Error("vision model down");
      const onModelError = vi.fn();
      const content = await parsedContentFor(imageFile, imagesOnly, {
        describeImageWithModel: async () => {
          throw failure;
        },
        onModelError,
      });
      expect(content).toMatch(/^dot\.gif\*\*\*An image \(GIF, 4×3 pixels/);
      expect(onModelError).toHaveBeenCalledWith(failure);
    });

    it("falls back when the model throws synchronously, even without an error hook", async () => {
      const content = await parsedContentFor(imageFile, imagesOnly, {
        describeImageWithModel: () => {
          throw new Error("not even a promise");
        },
      });
      expect(content).toMatch(/^dot\.gif\*\*\*An image/);
    });

    it("falls back when the model has nothing to say", async () => {
      for (const answer of [null, "", "   "]) {
        const content = await parsedContentFor(imageFile, imagesOnly, {
          describeImageWithModel: async () => answer,
        });
        expect(content).toMatch(/^dot\.gif\*\*\*An image/);
      }
    });

    it("lets the model describe images the metadata reader does not know", async () => {
      const svg = { bytes: utf8("<svg/>"), contentType: "image/svg+xml", name: "logo.svg" };
      const content = await parsedContentFor(svg, imagesOnly, {
        describeImageWithModel: async () => "A logo.",
      });
      expect(content).toBe("logo.svg***A logo.");
    });

    it("is not asked when images are off, nor for text", async () => {
      const model = vi.fn(async () => "never");
      expect(await parsedContentFor(imageFile, textOnly, { describeImageWithModel: model })).toBeNull();
      expect(await parsedContentFor(textFile, both, { describeImageWithModel: model })).toBe(
        "hello from a file",
      );
      expect(model).not.toHaveBeenCalled();
    });
  });
});
