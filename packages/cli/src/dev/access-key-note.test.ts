import { describe, expect, it } from "vitest";
import { accessKeyNote } from "./access-key-note.js";

const session = "0123456789abcdef0123456789abcdef";
const bot = (name: string, accessKey: string | null) => ({ name, path: `/${name}`, accessKey });

describe("accessKeyNote", () => {
  it("prints the session's key when the bots serve with it", () => {
    expect(accessKeyNote([bot("echo", session)], session)).toBe(`with access key ${session}`);
    expect(accessKeyNote([bot("a", session), bot("b", session)], session)).toBe(`with access key ${session}`);
  });

  it("never prints a key the bot brings itself", () => {
    const own = "real-key-of-the-bot-on-poe-00000";
    expect(accessKeyNote([bot("echo", own)], session)).toBe("with its own access key");
    expect(accessKeyNote([bot("a", own), bot("b", own)], session)).toBe("with their own access keys");
    const mixed = accessKeyNote([bot("a", session), bot("b", own)], session);
    expect(mixed).toBe(`with access key ${session} (b has its own)`);
    expect(mixed).not.toContain(own);
  });
});
