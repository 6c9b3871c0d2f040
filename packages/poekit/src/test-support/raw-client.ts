import { connect, type Socket } from "node:net";

/** A request written by hand on a socket, so that a test decides the very byte it disconnects at. */
export interface RawRequest {
  socket: Socket;
  /** Everything received so far, as text. */
  received(): string;
  /** Resolves with what was received once `predicate` holds for it (checked on every chunk). */
  receivedWhen(predicate: (text: string) => boolean): Promise<string>;
  /** Disconnects now, with nothing more read. */
  disconnect(): void;
}

/**
 * Connects to 127.0.0.1:`port` and POSTs `body` as JSON, all of it unless `sendBytes` says how much
 * of the body to send (the declared length stays the whole), and reads what comes back.
 * @example
 * const request = await rawPost(server.port, JSON.stringify(queryBody()));
 * await request.receivedWhen((text) => text.includes("\r\n\r\n"));
 * request.disconnect();
 */
export async function rawPost(port: number, body: string, sendBytes?: number): Promise<RawRequest> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => undefined);
  let text = "";
  const waiters = new Set<() => void>();
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    text += chunk;
    for (const wake of waiters) wake();
  });
  const bytes = Buffer.from(body);
  socket.write(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`,
  );
  socket.write(sendBytes === undefined ? bytes : bytes.subarray(0, sendBytes));
  return {
    socket,
    received: () => text,
    receivedWhen: (predicate) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(text)) {
            waiters.delete(check);
            resolve(text);
          } else if (socket.destroyed) {
            waiters.delete(check);
            reject(new Error(`The connection closed first; received: ${text.slice(0, 500)}`));
          }
        };
        waiters.add(check);
        socket.once("close", check);
        check();
      }),
    disconnect: () => socket.destroy(),
  };
}
