/**
 * poekit: build Poe server bots in TypeScript.
 * Runtime-specific code lives behind subpaths: `poekit/node` (run, toNodeHandler).
 */

// Errors
export { InsufficientFundError, PoeConfigError, PoeError } from "./errors.js";

// Wire types, schemas, ids, limits and the SSE codec
export * from "./protocol/index.js";
// The bot and its server
export * from "./server/index.js";
