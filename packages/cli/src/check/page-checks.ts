import type { CheckUnit } from "./check-context.js";
import { sendPlain } from "./http-probe.js";
import { makeResult } from "./make-result.js";

/**
 * `get-page`: a GET on the bot's URL, without credentials. Poe never sends one, so anything but a 2xx
 * is a warning, not a failure.
 * @example
 * const [result] = await pageChecks[0].run(context);
 */
export const pageChecks: readonly CheckUnit[] = [
  {
    ids: ["get-page"],
    async run(context) {
      const probe = await sendPlain({
        method: "GET",
        url: context.url,
        headers: { accept: "text/html" },
        timeoutMs: context.requestTimeoutMs,
      });
      const { status } = probe;
      if (status === null) {
        return [
          makeResult(
            "get-page",
            "warn",
            `Expected 200 with an HTML page; the GET got no answer (${probe.response.error}).`,
            probe,
          ),
        ];
      }
      if (status < 200 || status > 299) {
        return [
          makeResult(
            "get-page",
            "warn",
            `Expected 200 with an HTML page; the GET got HTTP ${status}, so a person opening the URL cannot tell the server runs.`,
            probe,
          ),
        ];
      }
      const html = probe.response.contentType?.toLowerCase().includes("text/html") === true;
      return [
        makeResult(
          "get-page",
          "pass",
          html
            ? `The GET got ${status} with an HTML page.`
            : `The GET got ${status} (content type ${probe.response.contentType ?? "none"} rather than text/html).`,
          probe,
        ),
      ];
    },
  },
];
