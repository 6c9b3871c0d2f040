/**
 * What docs/protocol.md offers to cite: its numbered sections (`1.7`, `2`), its parts (`Part A`), and
 * the situations named in the first column of Part A's "Server side" table, which `poekit check`
 * quotes as "Part A, Server side: <situation>".
 */
export interface ProtocolSections {
  /** Section numbers and part names, as cited: "1.7", "2", "Part A". */
  sections: Set<string>;
  /** The situations of Part A's server-side table, as written in its first column. */
  serverSideRows: string[];
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const NUMBERED = /^(\d+(?:\.\d+)*)(?:\.|\s|$)/;
const PART = /^(Part [A-Z])\b/;

/**
 * Reads the headings of docs/protocol.md, and the rows of Part A's server-side table.
 * @example
 * protocolSections("## Part A — ours\n### Server side\n| situation | … |\n| --- | --- |\n| done | … |\n## 1. Wire\n### 1.1 Transport\n");
 * // { sections: Set { "Part A", "1", "1.1" }, serverSideRows: ["done"] }
 */
export function protocolSections(markdown: string): ProtocolSections {
  const sections = new Set<string>();
  const serverSideRows: string[] = [];
  let part: string | undefined;
  let inServerSide = false;
  let tableLine = 0;
  for (const line of markdown.split("\n")) {
    const heading = HEADING.exec(line);
    if (heading) {
      const text = (heading[2] ?? "").trim();
      const id = PART.exec(text)?.[1] ?? NUMBERED.exec(text)?.[1];
      if (id !== undefined) sections.add(id);
      if (id?.startsWith("Part ")) part = id;
      else if (id !== undefined) part = undefined;
      inServerSide = part === "Part A" && text === "Server side";
      tableLine = 0;
      continue;
    }
    if (!inServerSide || !line.startsWith("|")) continue;
    tableLine++;
    // The header row and the separator row name no situation.
    if (tableLine <= 2) continue;
    const firstCell = line.split("|")[1]?.trim();
    if (firstCell) serverSideRows.push(firstCell);
  }
  return { sections, serverSideRows };
}
