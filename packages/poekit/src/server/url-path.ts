/**
 * The path of an absolute URL, without parsing all of it (this runs for every request).
 * @example
 * pathOf("http://localhost:8080/bot?x=1"); // "/bot"
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query !== -1) end = query;
  const hash = url.indexOf("#", start);
  if (hash !== -1 && hash < end) end = hash;
  return url.slice(start, end);
}
