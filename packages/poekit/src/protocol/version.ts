/**
 * The protocol version poekit speaks, as `"<request>.<response>"`. Sent in every request poekit makes;
 * any version string is accepted from Poe.
 * @example
 * const body = { version: PROTOCOL_VERSION, type: "settings" };
 */
export const PROTOCOL_VERSION = "1.2";
