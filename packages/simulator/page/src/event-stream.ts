/**
 * The page's connection to `/api/events`: the simulator's bus events, parsed, and the state of the
 * connection, reopened when the browser gives up on it.
 */
import type { BusEvent } from "../../src/model.ts";

export type ConnectionState = "connecting" | "open" | "reconnecting";

/** What the owner of an {@link EventStream} hears. */
export interface EventStreamHandlers {
  /** The connection's state changed. */
  stateChanged(state: ConnectionState): void;
  /** The stream opened; `reopened` after it was open before and went down. */
  opened(reopened: boolean): void;
  event(event: BusEvent): void;
  /** An event of a known type whose data is not JSON. */
  malformed(type: BusEvent["type"]): void;
}

const BUS_EVENT_TYPES: BusEvent["type"][] = [
  "bots",
  "stale-bot",
  "conversation",
  "conversation-deleted",
  "message",
  "exchange",
  "raw-event",
  "balance",
];

/** How long to wait before reopening a stream the server closed with an error, in ms. */
const REOPEN_DELAY = 3000;

export class EventStream {
  state: ConnectionState = "connecting";
  private readonly url: string;
  private readonly handlers: EventStreamHandlers;
  private source: EventSource | null = null;
  private everOpened = false;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(url: string, handlers: EventStreamHandlers) {
    this.url = url;
    this.handlers = handlers;
  }

  connect(): void {
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const source = new EventSource(this.url);
    this.source = source;
    source.addEventListener("open", () => {
      this.setState("open");
      this.handlers.opened(this.everOpened);
      this.everOpened = true;
    });
    source.addEventListener("error", () => {
      this.setState("reconnecting");
      // EventSource retries by itself unless the server answered with an error; then try again later.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.reopenTimer = setTimeout(() => this.connect(), REOPEN_DELAY);
      }
    });
    for (const type of BUS_EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        let data: unknown;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          this.handlers.malformed(type);
          return;
        }
        // The event name is the type; the payload may or may not repeat it.
        this.handlers.event({ ...(data as object), type } as BusEvent);
      });
    }
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.handlers.stateChanged(state);
  }
}
