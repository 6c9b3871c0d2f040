/**
 * The path of an absolute URL, without parsing all of it (this runs for every request).
 * @example
 * pathOf("http://localhost:8080/bot?x=1"); // "/bot"
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start === -1 ? "/" : pathFrom(url, start);
}

/**
 * The path of a request target as node:http gives it (`/bot?x=1`): what `pathOf` gives for the
 * target after `http://host`, without building that string for the usual target.
 * @example
 * pathOfTarget("/bot?x=1"); // "/bot"
 */
export function pathOfTarget(target: string): string {
  // Other forms (`*`, absolute, `//x`) are rare: read as before.
  if (target.charCodeAt(0) !== 47 /* "/" */ || target.charCodeAt(1) === 47) {
    return pathOf(`http://host${target}`);
  }
  return pathFrom(target, 0);
}

/** `url` from `start` (a "/") up to its query or fragment. */
function pathFrom(url: string, start: number): string {
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query !== -1) end = query;
  const hash = url.indexOf("#", start);
  if (hash !== -1 && hash < end) end = hash;
  return start === 0 && end === url.length ? url : url.slice(start, end);
}
