/**
 * Builds small, valid PDF files for tests, so PDF parsing is checked against real bytes without
 * keeping binary fixtures in the repository.
 */

/**
 * A PDF with one page per entry of `pages`; each `\n` in a page's text starts a new line.
 * Text is drawn in Helvetica (a standard font, so no font file is embedded) and must be printable
 * ASCII: that keeps the byte offsets in the cross-reference table equal to string lengths.
 */
export function makePdf(pages: readonly string[]): Uint8Array {
  if (pages.length === 0) throw new Error("a PDF needs at least one page");
  for (const text of pages) {
    if (!/^[\x20-\x7e\n]*$/.test(text)) throw new Error("makePdf draws printable ASCII text only");
  }

  // Object numbers: 1 catalog, 2 page tree, 3 font, then a (page, content stream) pair per page.
  const pageNumber = (index: number) => 4 + index * 2;
  const objects: string[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageNumber(i)} 0 R`).join(" ")}] /Count ${pages.length} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  pages.forEach((text, index) => {
    const content = contentStream(text);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageNumber(index) + 1} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  });

  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = pdf.length;
  // Every cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/** The drawing operators for one page: each line shown, then a move to the next line. */
function contentStream(text: string): string {
  const lines = text.split("\n").map((line) => `(${escapePdfString(line)}) Tj T*`);
  return `BT\n/F1 12 Tf\n16 TL\n72 720 Td\n${lines.join("\n")}\nET`;
}

/** Backslash, and both parentheses, must be escaped inside a PDF literal string. */
function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}
