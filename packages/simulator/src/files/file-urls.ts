import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { DEFAULT_FILE_TTL_SECONDS } from "../defaults.js";
import type { KeyValueStore } from "../store/kv-store.js";

/** Why a file URL was refused. */
export type FileUrlCheck = "ok" | "expired" | "invalid";

/**
 * Signs file URLs so that they stop working after a while, as Poe's attachment URLs do. The secret is
 * kept in the database, so URLs stay valid across a restart until they expire.
 */
export class FileUrls {
  readonly #secret: Buffer;

  constructor(
    kv: KeyValueStore,
    readonly ttlSeconds: number = DEFAULT_FILE_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {
    let secret = kv.get("file-url-secret");
    if (!secret) {
      secret = randomBytes(32).toString("hex");
      kv.set("file-url-secret", secret);
    }
    this.#secret = Buffer.from(secret, "hex");
  }

  /** The path and query of a file's URL (prefix it with the simulator's origin). */
  pathFor(file: { id: string; name: string }): string {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const signature = this.#sign(file.id, expires);
    return `/files/${file.id}/${encodeURIComponent(file.name)}?expires=${expires}&signature=${signature}`;
  }

  check(id: string, expires: string | undefined, signature: string | undefined): FileUrlCheck {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(signature))
      return "invalid";
    const expected = Buffer.from(this.#sign(id, Number(expires)), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return "invalid";
    return Number(expires) * 1000 < this.now() ? "expired" : "ok";
  }

  #sign(id: string, expires: number): string {
    return createHmac("sha256", this.#secret).update(`${id}:${expires}`).digest("hex");
  }
}

/**
 * The id of a file stored in this simulator when `url` is one of its file URLs (a bot hands back the
 * URL it got from an upload), so that the page can be given a fresh URL after this one expires.
 *
 * @example
 * storedFileId(context, "http://127.0.0.1:7777/files/ab12/a.png?expires=1&signature=00"); // "ab12"
 */
export function storedFileId(context: { origin(): string }, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.origin !== context.origin()) return null;
  return /^\/files\/([0-9a-f]{32})\//.exec(parsed.pathname)?.[1] ?? null;
}
