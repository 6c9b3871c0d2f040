/** What the server process says of itself. */
export interface ServerStats {
  /** Resident set size, bytes, after garbage collection. */
  rss: number;
  heapUsed: number;
  /** `process.getActiveResourcesInfo()`, counted by kind (sockets, servers, timers…). */
  resources: Record<string, number>;
  /** Query responses still streaming (the SDK server; 0 for the simulator). */
  openStreams: number;
}

/** Messages from the server process to the harness. */
export type ChildMessage =
  | { type: "ready"; port: number; path: string }
  | { type: "stats"; stats: ServerStats };

/** Messages from the harness to the server process. */
export type ParentMessage = { type: "stats" };
