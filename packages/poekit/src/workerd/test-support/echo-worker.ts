// examples/echo as a Cloudflare Worker, written as docs/deploying.md tells users to: the access key
// arrives in `env` with each request, so the app is made on the first one. workerd.test.ts bundles
// this module with esbuild and serves it with workerd.
import { makeApp, type PoeApp } from "poekit";
import bot from "../../../../../examples/echo/index.js";

/** The bindings the Worker is configured with. */
interface Env {
  POE_ACCESS_KEY: string;
}

let app: PoeApp | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    app ??= makeApp(bot, { accessKey: env.POE_ACCESS_KEY });
    return app.fetch(request);
  },
};
