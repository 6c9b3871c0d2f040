import { Hono } from "hono";
import { contentTypeFor } from "../attachments/content-type.js";
import type { SimulatorContext } from "../context.js";
import type { UploadedFile } from "../model.js";
import { ApiError } from "./api-error.js";

/** The largest file a user may attach (Poe's limit on files in a message). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** `/api/uploads`: files the user attaches to a message, stored until the message is sent. */
export function apiUploadRoutes(context: SimulatorContext): Hono {
  const app = new Hono();
  app.post("/", async (c) => {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new ApiError(400, "Send the file as multipart/form-data in a field named `file`.");
    }
    const file = form.get("file");
    if (!(file instanceof File)) throw new ApiError(400, "The form has no file in a field named `file`.");
    if (file.size > MAX_UPLOAD_BYTES) throw new ApiError(413, "Files are limited to 50 MB.");
    const name = safeName(file.name);
    const stored = context.store.files.put({
      name,
      contentType: contentTypeFor(name, file.type),
      data: new Uint8Array(await file.arrayBuffer()),
    });
    const uploaded: UploadedFile = {
      id: stored.id,
      url: `${context.origin()}${context.fileUrls.pathFor(stored)}`,
      name: stored.name,
      contentType: stored.contentType,
      size: stored.size,
    };
    return c.json(uploaded, 201);
  });
  return app;
}

/** The last path segment of the client's file name, without control characters; never empty. */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/\p{Cc}/gu, "")
    .trim()
    .slice(0, 200);
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : "file";
}
