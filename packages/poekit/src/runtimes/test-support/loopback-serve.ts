// Runs before a docs snippet in the Bun and Deno tests: whatever address the snippet asks for, its
// server listens on 127.0.0.1, so a test never opens a port to the network. The port stays the
// snippet's (from PORT) and everything else runs as the docs show it.

type ServeOptions = Record<string, unknown>;

const runtime = globalThis as {
  Bun?: { serve(options: ServeOptions): unknown };
  Deno?: { serve(...args: unknown[]): unknown };
};
const HOSTNAME = "127.0.0.1";

const { Bun, Deno } = runtime;
if (Bun) {
  const serve = Bun.serve.bind(Bun);
  Bun.serve = (options) => serve({ ...options, hostname: HOSTNAME });
}
if (Deno) {
  const serve = Deno.serve.bind(Deno);
  // Deno.serve(handler), Deno.serve(options, handler) or Deno.serve({ ...options, handler }).
  Deno.serve = (first, ...rest) =>
    typeof first === "function"
      ? serve({ hostname: HOSTNAME }, first)
      : serve({ ...(first as ServeOptions), hostname: HOSTNAME }, ...rest);
}

export {};
