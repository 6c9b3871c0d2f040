/**
 * The length of an answer's text as Poe counts it against its limit (`MAX_RESPONSE_CHARACTERS`): in
 * Unicode code points, as Python's `len()` counts a `str` (Poe's servers and fastapi_poe are Python).
 * JavaScript's `length` counts UTF-16 units, two for a character outside the Basic Multilingual Plane
 * (most emoji), so an answer full of emoji would reach the limit at half its real size. The server's
 * limits monitor, the simulator's grader and `poekit check` all count with this one function.
 * @example
 * countCharacters("héllo 👋"); // 7 ("héllo 👋".length is 8)
 */
export function countCharacters(text: string): number {
  let count = text.length;
  // A low surrogate right after a high one is the second half of one character.
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) count--;
    }
  }
  return count;
}
