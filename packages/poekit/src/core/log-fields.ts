/**
 * What a log record carries besides its message: the request's ids, an access record's figures.
 * Values are strings, numbers or booleans; never a message's content or a key.
 */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * ` key=value` for each field that has a value, for a line meant for people: strings with spaces or
 * quotes are quoted as JSON.
 * @example
 * prettyFields({ bot: "EchoBot", status: 200 }); // " bot=EchoBot status=200"
 */
export function prettyFields(fields: LogFields | undefined): string {
  if (fields === undefined) return "";
  let text = "";
  for (const name in fields) {
    const value = fields[name];
    if (value === undefined) continue;
    const shown = typeof value === "string" && !/^[^\s"=]+$/.test(value) ? JSON.stringify(value) : value;
    text += ` ${name}=${shown}`;
  }
  return text;
}
