/** How to reach a bot: its URL, the key Poe sends it, and the fetch that carries the request. */
export interface BotTarget {
  name: string;
  url: string;
  accessKey: string | null;
  /** Built-in bots answer in-process through their app's fetch handler. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}
