import { keysMatch } from "../protocol/access-key.js";
import type { WholeAnswer } from "./answer.js";
import { errorAnswer } from "./json-answer.js";

const CHALLENGE = { "www-authenticate": "Bearer" };

/**
 * Checks `Authorization: Bearer <key>` (scheme in any case). Returns the 401 to send, or undefined
 * when the request may go on. The messages never repeat what the client sent.
 */
export function checkAuthorization(header: string | null, expectedKey: string): WholeAnswer | undefined {
  if (header === null || header.trim() === "") {
    return errorAnswer(
      401,
      "Missing Authorization header: send 'Authorization: Bearer <access key>'.",
      undefined,
      CHALLENGE,
    );
  }
  const text = header.trim();
  const space = text.search(/\s/);
  const scheme = space === -1 ? text : text.slice(0, space);
  const credentials = space === -1 ? "" : text.slice(space).trim();
  if (scheme.toLowerCase() !== "bearer") {
    return errorAnswer(
      401,
      "The Authorization scheme must be Bearer: 'Authorization: Bearer <access key>'.",
      undefined,
      CHALLENGE,
    );
  }
  if (credentials === "") {
    return errorAnswer(401, "The Authorization header has no access key after Bearer.", undefined, CHALLENGE);
  }
  if (!keysMatch(credentials, expectedKey)) {
    return errorAnswer(401, "Invalid access key.", undefined, CHALLENGE);
  }
  return undefined;
}
