// `poekit serve --help`, made from the same option list the parser reads.
import { usage } from "./serve-args.js";
import { SERVE_OPTIONS } from "./serve-options.js";

const EXAMPLES = `Examples:
  $ poekit serve examples/echo --allow-without-key
      serve the echo bot on http://127.0.0.1:8080/ for local testing, without an access key
  $ POE_ACCESS_KEY=<32 characters> poekit serve bot.ts --port 3000
      serve bot.ts on port 3000; requests must carry "Authorization: Bearer <key>"
  $ poekit serve bot.ts --access-key <key> --bot-name MyBot
      serve bot.ts and send its settings to Poe for the bot named MyBot
  $ poekit serve examples/* --allow-without-key
      serve several bots on one server, each on /<folder or file name>
  $ poekit serve bot.ts --workers auto
      serve bot.ts from one process per CPU, all on the same port

Each module must default-export a PoeBot instance (export default new MyBot()) or an array of them.
TypeScript runs with Node's own type stripping: no build step, and no enums or parameter properties.
Variables in ./.env are loaded first; those already in the environment win.`;

/**
 * The help of `poekit serve`: usage, what it does, its options and examples.
 * @example
 * process.stdout.write(serveHelp());
 */
export function serveHelp(): string {
  const rows: [string, string][] = [
    ...SERVE_OPTIONS.map((option): [string, string] => [usage(option), option.description]),
    ["-h, --help", "show help"],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const row = (left: string, right: string) => `  ${left.padEnd(width)}${wrap(right, width + 2)}`;
  const options = rows.map(([left, right]) => row(left, right)).join("\n");
  return `Usage: poekit serve [options] <module...>

Serve one or more bots over HTTP, the way Poe calls them. Several modules share one server, and a bot
on / moves to /<folder or file name>.

Arguments:
${row("module", "a .ts, .mts, .js or .mjs file, or a folder with an index.ts or index.js (or a package.json main)")}

Options:
${options}

${EXAMPLES}
`;
}

/** Help's lines end by column 100; a description that goes on is indented under its start. */
const COLUMNS = 100;

function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && indent + line.length + 1 + word.length > COLUMNS) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}
