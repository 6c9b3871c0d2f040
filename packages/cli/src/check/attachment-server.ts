import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ATTACHED_FILE } from "./query-bodies.js";

/** The file server of the attachment check. */
export interface AttachmentServer {
  /** The URL of the attached file. */
  fileUrl: string;
  close(): Promise<void>;
}

/**
 * Serves the attachment check's small text file on 127.0.0.1, on a free port, so the bot can
 * download it as it would a user's upload from Poe. A bot on another machine cannot reach it; that
 * it then answers with an error event is acceptable.
 * @example
 * const files = await startAttachmentServer();
 * try { await sendQuery(target, attachmentQuery(files.fileUrl)); } finally { await files.close(); }
 */
export async function startAttachmentServer(): Promise<AttachmentServer> {
  const server = createServer((request, response) => {
    if (request.url !== `/${ATTACHED_FILE.name}`) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("Not found.\n");
      return;
    }
    response.writeHead(200, {
      "content-type": `${ATTACHED_FILE.contentType}; charset=utf-8`,
      "content-disposition": `attachment; filename="${ATTACHED_FILE.name}"`,
    });
    response.end(request.method === "HEAD" ? undefined : ATTACHED_FILE.text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    fileUrl: `http://127.0.0.1:${port}/${ATTACHED_FILE.name}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
