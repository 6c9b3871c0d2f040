// What other runtimes provide, for the docs' deployment snippets: just the parts the docs use, with
// the runtimes' own names and shapes, so a snippet compiles as a reader would write it. Compiled with
// the doc snippets only (docs/snippets.test.ts), never with poekit's own code.

/** Deno's global namespace (https://docs.deno.com/api/deno/). */
declare namespace Deno {
  interface ServeHandlerInfo {
    remoteAddr: { hostname: string; port: number };
  }
  type ServeHandler = (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>;
  interface ServeOptions {
    port?: number;
    hostname?: string;
    signal?: AbortSignal;
  }
  interface HttpServer {
    finished: Promise<void>;
    shutdown(): Promise<void>;
  }
  function serve(handler: ServeHandler): HttpServer;
  function serve(options: ServeOptions, handler: ServeHandler): HttpServer;
  const env: {
    get(name: string): string | undefined;
  };
}

/** Bun's global namespace (https://bun.sh/docs/api/http). */
declare namespace Bun {
  interface ServeOptions {
    fetch(request: Request): Response | Promise<Response>;
    port?: number;
    hostname?: string;
    idleTimeout?: number;
  }
  interface Server {
    readonly url: URL;
    stop(closeActiveConnections?: boolean): Promise<void>;
  }
  function serve(options: ServeOptions): Server;
}

/** A Cloudflare Worker's bindings; a snippet with other bindings declares its own `Env`. */
interface Env {
  readonly [binding: string]: string | undefined;
}

/** The third argument of a Worker's `fetch` (https://developers.cloudflare.com/workers/runtime-apis/context/). */
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** The default export of a Worker module. */
interface ExportedHandler<Bindings = Env> {
  fetch?(request: Request, env: Bindings, ctx: ExecutionContext): Response | Promise<Response>;
}

declare module "cloudflare:workers" {
  export const env: Env;
}

/** pino, as docs/observability.md uses it: not a dependency of the repository (https://getpino.io). */
declare module "pino" {
  type LogFn = { (fields: object, message?: string): void; (message: string, ...args: unknown[]): void };
  interface Logger {
    levels: { values: Record<string, number> };
    level: string;
    debug: LogFn;
    info: LogFn;
    warn: LogFn;
    error: LogFn;
    child(bindings: object): Logger;
  }
  export default function pino(options?: object): Logger;
}
