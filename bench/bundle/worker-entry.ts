// What a Cloudflare Worker serving examples/echo contains: makeApp and the bot. The bundle scenario
// builds this for Workers (esbuild, minified) and reports its gzip size.
import { makeApp } from "poekit";
import echoBot from "../../examples/echo/index.js";

const app = makeApp(echoBot, { allowWithoutKey: true });

export default { fetch: (request: Request): Promise<Response> => app.fetch(request) };
