import { Readable } from "node:stream";
import { type ChatFlags, type ChatIO, chat } from "../commands/chat-action.js";

/**
 * Runs `chat()` on piped lines and returns its exit code and everything it printed.
 * @example
 * const { code, output } = await driveChat("http://127.0.0.1:8080/", ["hello"]);
 */
export async function driveChat(
  url: string,
  lines: string[],
  flags: ChatFlags = {},
  io: Partial<ChatIO> = {},
): Promise<{ code: number; output: string; errors: string }> {
  let output = "";
  let errors = "";
  const code = await chat(url, flags, {
    input: Readable.from([lines.map((line) => `${line}\n`).join("")]),
    output: {
      write: (text: string) => {
        output += text;
      },
    },
    errorOutput: {
      write: (text: string) => {
        errors += text;
      },
    },
    env: {},
    ...io,
  });
  return { code, output, errors };
}
