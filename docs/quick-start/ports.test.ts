import { describe, expect, it } from "vitest";
import { DOC_PORTS, movePorts, portEnv } from "./ports.js";

describe("movePorts", () => {
  it("leaves the blocks as written when the doc's ports are used", () => {
    expect(movePorts("npm run dev", DOC_PORTS)).toBe("npm run dev");
    expect(portEnv(DOC_PORTS)).toEqual({});
  });

  it("moves the addresses, npm run dev's flags and npm start's PORT with the ports", () => {
    const ports = { bot: 4001, simulator: 4002 };
    expect(movePorts("npm run dev", ports)).toBe("npm run dev -- --port 4001 --sim-port 4002");
    expect(movePorts("curl http://127.0.0.1:8080/ # and http://127.0.0.1:7777/#/c/…", ports)).toBe(
      "curl http://127.0.0.1:4001/ # and http://127.0.0.1:4002/#/c/…",
    );
    expect(portEnv(ports)).toEqual({ PORT: "4001" });
  });
});
