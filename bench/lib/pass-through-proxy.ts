import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A listening proxy. */
export interface PassThroughProxy {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  close(): Promise<void>;
}

/**
 * The least a proxy can do: a node:http server that forwards every request to `target` over
 * keep-alive connections and pipes the answer back as it arrives, with nothing checked or recorded.
 * The cost of one more hop on loopback, for comparison with the simulator's bot query API.
 * @example
 * const proxy = await startPassThroughProxy("http://127.0.0.1:8080/");
 * await proxy.close();
 */
export async function startPassThroughProxy(target: string): Promise<PassThroughProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: upstream.pathname,
        method: req.method,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
