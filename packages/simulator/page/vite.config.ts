import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** Where `vite dev` forwards API, file and SSE requests: a simulator started with `poekit sim`. */
const simulator = "http://127.0.0.1:7777";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: {
    outDir: "../dist/page",
    emptyOutDir: true,
    target: "es2023",
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      "/api": simulator,
      "/files": simulator,
    },
  },
});
