/**
 * The page's state and the actions on it: what `/api/state` and `/api/events` say, the open conversation,
 * the inspector's exchanges and parameter values. Components read it and call its actions; it tells
 * them to re-render at most once a frame.
 */
import type {
  BotRecord,
  BusEvent,
  ConversationRecord,
  ExchangeRecord,
  MessageRecord,
  RawEventRecord,
  StaleBot,
  UploadedFile,
} from "../../src/model.ts";
import {
  ApiError,
  api,
  type ConversationWithMessages,
  type MessageExchanges,
  type ReportedMessage,
} from "./api.ts";
import { ChangeNotifier } from "./change-notifier.ts";
import { conversationFromHash, hashOf } from "./conversation-hash.ts";
import { type ConnectionState, EventStream } from "./event-stream.ts";
import { ExchangeLog } from "./exchange-log.ts";
import { mergeValues, type ParameterValues } from "./parameters.ts";
import { byCreation, byNewest, isAhead } from "./record-order.ts";
import { ToastQueue } from "./toast-queue.ts";

/** How many bot messages' exchanges are fetched at once after a conversation loads. */
const FETCH_CONCURRENCY = 3;

export class Store extends ChangeNotifier {
  version = "";
  bots: BotRecord[] = [];
  /** The bots `poekit dev` reports not answering with their saved code, by name. */
  staleBots = new Map<string, StaleBot>();
  conversations: ConversationRecord[] = [];
  balance = 0;
  fileTtlSeconds = 0;
  /** Whether `/api/state` has been loaded once. */
  loaded = false;

  conversationId: string | null = null;
  /** The open conversation's messages, oldest first. */
  messages: MessageRecord[] = [];
  conversationLoading = false;

  /** The bot message the inspector shows, or null to follow the latest one. */
  pinnedMessageId: string | null = null;
  /** Bot messages whose exchanges were fetched or are being fetched. */
  private exchangesFetched = new Set<string>();
  /** The inspector's exchanges and raw events; what it drops for room is fetched again when inspected. */
  private log = new ExchangeLog((messageId) => this.exchangesFetched.delete(messageId));
  inspectorLoading = false;

  /** The bot picked in the sidebar: for a new conversation and the settings view when none is open. */
  selectedBotName: string | null = null;
  /** Parameter values by bot name. */
  private parameterValues = new Map<string, ParameterValues>();
  /** How many times the composer was asked to take the focus; it takes it when this grows. */
  composerFocusRequests = 0;

  /** Failed requests and confirmations, shown by `<sim-toasts>`. */
  readonly toasts = new ToastQueue(() => this.changed());

  /** How many times a conversation was opened (or closed) since the page started. */
  private openCount = 0;
  private readonly eventStream = new EventStream("/api/events", {
    stateChanged: () => this.changed(),
    // Also on the first open: a message sent before the stream was up may have been answered already.
    opened: (reopened) => {
      if (reopened || this.conversationId) void this.resync();
    },
    event: (event) => this.apply(event),
    malformed: (type) => this.toasts.show(`The simulator sent a "${type}" event that is not JSON`),
  });

  /** The state of the connection to `/api/events`. */
  get connection(): ConnectionState {
    return this.eventStream.state;
  }

  // ---- derived state ----

  get conversation(): ConversationRecord | null {
    return this.conversations.find((c) => c.id === this.conversationId) ?? null;
  }

  bot(name: string | null | undefined): BotRecord | null {
    if (!name) return null;
    return this.bots.find((bot) => bot.name === name) ?? null;
  }

  /** Why the bot does not answer with its saved code, or null when it does (or nobody said otherwise). */
  staleBot(name: string | null | undefined): StaleBot | null {
    return (name && this.staleBots.get(name)) || null;
  }

  /** The bot picked in the sidebar (the open conversation's, unless another was picked since). */
  get selectedBot(): BotRecord | null {
    return this.bot(this.selectedBotName) ?? this.bot(this.conversation?.botName) ?? this.bots[0] ?? null;
  }

  get latestBotMessage(): MessageRecord | null {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i];
      if (message?.role === "bot") return message;
    }
    return null;
  }

  /** The bot message the inspector shows. */
  get inspectedMessageId(): string | null {
    if (this.pinnedMessageId && this.messages.some((m) => m.id === this.pinnedMessageId)) {
      return this.pinnedMessageId;
    }
    return this.latestBotMessage?.id ?? null;
  }

  /** The exchanges a bot message caused, nested calls included, in the order they started. */
  exchangesOf(messageId: string): ExchangeRecord[] {
    return this.log.of(messageId);
  }

  violationCount(messageId: string): number {
    return this.violationCounts().get(messageId) ?? 0;
  }

  /** Protocol violations by bot message, nested calls included. */
  violationCounts(): Map<string, number> {
    return this.log.violationCounts();
  }

  eventsOf(exchangeId: string): readonly RawEventRecord[] {
    return this.log.eventsOf(exchangeId);
  }

  /** The current parameter values for a bot with parameter controls; null for one without. */
  parametersFor(botName: string): ParameterValues | null {
    const controls = this.bot(botName)?.settings.parameterControls;
    if (!controls) return null;
    return mergeValues(controls, this.parameterValues.get(botName) ?? {});
  }

  setParameters(botName: string, values: ParameterValues): void {
    this.parameterValues.set(botName, values);
    this.changed();
  }

  // ---- failed requests ----

  /** Shows a failed request's reason; never lets it pass silently. */
  private fail(what: string, error: unknown): void {
    this.toasts.show(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Runs an API call, turning its failure into a toast and a null result. */
  private async attempt<T>(what: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      this.fail(what, error);
      return null;
    }
  }

  // ---- start and the event stream ----

  async start(): Promise<void> {
    this.eventStream.connect();
    addEventListener("hashchange", () => {
      const id = conversationFromHash();
      if (id !== this.conversationId) void this.openConversation(id);
    });
    const wanted = conversationFromHash();
    // The URL's conversation opens at once; otherwise the newest, unless the user picked one meanwhile.
    if (wanted) void this.openConversation(wanted);
    await this.loadState();
    this.selectedBotName ??= this.bots[0]?.name ?? null;
    if (!wanted && this.openCount === 0) await this.openConversation(this.conversations[0]?.id ?? null);
  }

  /** After the stream reconnects: load again what may have changed while it was down. */
  private async resync(): Promise<void> {
    await this.loadState();
    if (this.conversationId) await this.loadConversation(this.conversationId);
    const inspected = this.inspectedMessageId;
    if (inspected) await this.fetchExchanges(inspected, true);
  }

  private async loadState(): Promise<void> {
    const state = await this.attempt("Loading the simulator's state", () => api.state());
    if (!state) return;
    this.version = state.version;
    this.bots = state.bots;
    this.staleBots = new Map(state.staleBots.map((stale) => [stale.botName, stale]));
    this.conversations = [...state.conversations].sort(byNewest);
    this.balance = state.balance;
    this.fileTtlSeconds = state.fileTtlSeconds;
    this.loaded = true;
    this.changed();
  }

  /** Applies one event from `/api/events`. */
  apply(event: BusEvent): void {
    switch (event.type) {
      case "bots":
        this.bots = event.bots;
        break;
      case "stale-bot":
        if (event.stale) this.staleBots.set(event.botName, event.stale);
        else this.staleBots.delete(event.botName);
        break;
      case "conversation":
        this.upsertConversation(event.conversation);
        break;
      case "conversation-deleted":
        this.removeConversation(event.conversationId);
        break;
      case "message":
        this.upsertMessage(event.message);
        break;
      case "exchange":
        this.log.upsert(event.exchange);
        break;
      case "raw-event":
        this.log.addEvents([event.event]);
        break;
      case "balance":
        this.balance = event.balance;
        break;
    }
    this.changed();
  }

  private upsertConversation(conversation: ConversationRecord): void {
    const others = this.conversations.filter((c) => c.id !== conversation.id);
    this.conversations = [conversation, ...others].sort(byNewest);
  }

  private removeConversation(id: string): void {
    this.conversations = this.conversations.filter((c) => c.id !== id);
    if (this.conversationId === id) {
      this.conversationId = null;
      this.messages = [];
      this.pinnedMessageId = null;
      if (conversationFromHash() === id) history.replaceState(null, "", "#/");
    }
  }

  upsertMessage(message: MessageRecord): void {
    if (message.conversationId !== this.conversationId) return;
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) {
      // An answer can finish on the event stream before the POST that started it returns: a message's
      // status only moves forward, so an older snapshot never replaces a newer one.
      const current = this.messages[index];
      if (current && isAhead(current, message)) return;
      const next = [...this.messages];
      next[index] = message;
      this.messages = next;
    } else {
      this.messages = [...this.messages, message].sort(byCreation);
    }
    // A finished answer loaded before its exchanges were known: fetch them for the violation badge.
    if (message.role === "bot" && (message.status === "complete" || message.status === "error")) {
      if (!this.exchangesOf(message.id).length) void this.fetchExchanges(message.id);
    }
  }

  // ---- conversations ----

  async openConversation(id: string | null): Promise<void> {
    this.openCount++;
    this.conversationId = id;
    this.messages = [];
    this.pinnedMessageId = null;
    this.conversationLoading = false;
    const botName = this.conversation?.botName;
    if (botName && this.bot(botName)) this.selectedBotName = botName;
    const hash = hashOf(id);
    if (location.hash !== hash && !(id === null && location.hash === ""))
      history.replaceState(null, "", hash);
    this.changed();
    if (id) await this.loadConversation(id);
  }

  private async loadConversation(id: string): Promise<void> {
    this.conversationLoading = true;
    this.changed();
    let result: ConversationWithMessages | null = null;
    try {
      result = await api.conversation(id);
    } catch (error) {
      this.fail("Loading the conversation", error);
      // Gone (deleted elsewhere, or a fresh database): close it rather than show a dead chat.
      if (error instanceof ApiError && error.status === 404) this.removeConversation(id);
    }
    // Only the open conversation's load says when loading is done: another may have opened meanwhile.
    if (this.conversationId === id) this.conversationLoading = false;
    if (this.conversationId !== id || !result) {
      this.changed();
      return;
    }
    this.upsertConversation(result.conversation);
    if (this.bot(result.conversation.botName)) this.selectedBotName = result.conversation.botName;
    // Live snapshots that arrived while this answer was on its way may be newer than the ones in it.
    const live = new Map(this.messages.map((m) => [m.id, m]));
    this.messages = result.messages
      .map((loaded) => {
        const current = live.get(loaded.id);
        return current && isAhead(current, loaded) ? current : loaded;
      })
      .sort(byCreation);
    this.changed();
    await this.fetchMissingExchanges();
  }

  /** Fetches the exchanges of the open conversation's bot messages, a few at a time. */
  private async fetchMissingExchanges(): Promise<void> {
    const queue = this.messages.filter((m) => m.role === "bot" && !this.exchangesFetched.has(m.id));
    const inspected = this.inspectedMessageId;
    queue.sort((a, b) => Number(b.id === inspected) - Number(a.id === inspected));
    const worker = async () => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        await this.fetchExchanges(message.id);
      }
    };
    await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
  }

  /** Loads a bot message's exchanges and raw events; `force` loads them again. */
  async fetchExchanges(messageId: string, force = false): Promise<void> {
    if (this.exchangesFetched.has(messageId) && !force) return;
    this.exchangesFetched.add(messageId);
    const isInspected = messageId === this.inspectedMessageId;
    if (isInspected) {
      this.inspectorLoading = true;
      this.changed();
    }
    let result: MessageExchanges | null = null;
    try {
      result = await api.exchanges(messageId);
    } catch (error) {
      this.exchangesFetched.delete(messageId);
      // A message without exchanges yet (still pending) is not worth a toast; anything else is.
      if (!(error instanceof ApiError && error.status === 404)) this.fail("Loading the exchanges", error);
    }
    if (isInspected) this.inspectorLoading = false;
    if (result) {
      for (const exchange of result.exchanges) this.log.upsert(exchange, true);
      this.log.addEvents(result.events);
    }
    this.changed();
  }

  /** Shows a bot message in the inspector; null follows the latest one. */
  inspect(messageId: string | null): void {
    this.pinnedMessageId = messageId;
    this.changed();
    const id = this.inspectedMessageId;
    if (id) void this.fetchExchanges(id);
  }

  /** Asks the composer to take the focus once it can (a conversation is open). */
  focusComposer(): void {
    this.composerFocusRequests++;
    this.changed();
  }

  /**
   * Lets the user write to a bot at once: keeps the open conversation when it is with that bot, else
   * opens the bot's latest conversation, else starts one; then focuses the composer.
   */
  async chatWith(botName: string): Promise<void> {
    this.selectBot(botName);
    if (this.conversation?.botName === botName) {
      this.focusComposer();
      return;
    }
    // The list is kept newest first.
    const latest = this.conversations.find((conversation) => conversation.botName === botName);
    if (!latest) {
      await this.newConversation(botName);
      return;
    }
    const opening = this.openConversation(latest.id);
    // The conversation is open from here on: its messages may still be loading, but it can be written to.
    this.focusComposer();
    await opening;
  }

  async newConversation(botName: string): Promise<void> {
    const opensBefore = this.openCount;
    const conversation = await this.attempt("Starting a conversation", () => api.createConversation(botName));
    if (!conversation) return;
    this.upsertConversation(conversation);
    // Another conversation opened while this one was being created: the user has moved on; stay there.
    if (this.openCount !== opensBefore) return;
    const opening = this.openConversation(conversation.id);
    this.focusComposer();
    await opening;
  }

  async deleteConversation(id: string): Promise<void> {
    // Asked before the request: its "conversation-deleted" event may close the conversation before it answers.
    const wasOpen = this.conversationId === id;
    const done = await this.attempt("Deleting the conversation", async () => {
      await api.deleteConversation(id);
      return true;
    });
    if (!done) return;
    this.removeConversation(id);
    this.changed();
    if (wasOpen) await this.openConversation(this.conversations[0]?.id ?? null);
  }

  async clearContext(): Promise<void> {
    const id = this.conversationId;
    if (!id) return;
    const result = await this.attempt("Clearing the context", () => api.clearContext(id));
    if (!result) return;
    this.upsertConversation(result.conversation);
    this.upsertMessage(result.message);
    this.changed();
  }

  // ---- messages ----

  /** Sends a message to the open conversation; true when the simulator took it. */
  async send(text: string, attachments: string[] = []): Promise<boolean> {
    const conversation = this.conversation;
    if (!conversation) {
      this.toasts.show("Open or start a conversation first");
      return false;
    }
    const parameters = this.parametersFor(conversation.botName);
    const result = await this.attempt("Sending the message", () =>
      api.sendMessage(conversation.id, {
        text,
        ...(attachments.length ? { attachments } : {}),
        ...(parameters ? { parameters } : {}),
      }),
    );
    if (!result) return false;
    this.pinnedMessageId = null;
    this.upsertMessage(result.userMessage);
    for (const message of result.botMessages) this.upsertMessage(message);
    this.changed();
    return true;
  }

  async retry(messageId: string): Promise<void> {
    const result = await this.attempt("Retrying", () => api.retry(messageId));
    if (!result) return;
    this.pinnedMessageId = null;
    this.upsertMessage(result.botMessage);
    this.changed();
  }

  async feedback(messageId: string, type: "like" | "dislike"): Promise<void> {
    const message = await this.attempt("Sending feedback", () => api.feedback(messageId, type));
    if (!message) return;
    this.upsertMessage(message);
    this.reportDelivery(message, "report_feedback");
    this.changed();
  }

  async react(messageId: string, reaction: string): Promise<void> {
    const message = await this.attempt("Sending the reaction", () => api.react(messageId, reaction));
    if (!message) return;
    this.upsertMessage(message);
    this.reportDelivery(message, "report_reaction");
    this.changed();
  }

  /** Says so when the simulator could not pass a report on to the bot. */
  private reportDelivery(message: ReportedMessage, request: string): void {
    const delivery = message.delivery;
    if (delivery && !delivery.delivered) {
      this.toasts.show(
        `${message.botName ?? "The bot"} did not take the ${request}: ${delivery.detail ?? "no reason given"}`,
      );
    }
  }

  async upload(file: File): Promise<UploadedFile | null> {
    return this.attempt(`Uploading ${file.name}`, () => api.upload(file));
  }

  // ---- bots and balance ----

  async registerBot(name: string, url: string, accessKey: string): Promise<boolean> {
    const bot = await this.attempt(`Registering ${name}`, () =>
      api.registerBot(accessKey ? { name, url, accessKey } : { name, url }),
    );
    if (!bot) return false;
    this.bots = [...this.bots.filter((b) => b.name !== bot.name), bot];
    this.selectedBotName = bot.name;
    if (bot.settingsError)
      this.toasts.show(`${bot.name} is registered, but fetching its settings failed: ${bot.settingsError}`);
    this.changed();
    return true;
  }

  async deleteBot(name: string): Promise<void> {
    const done = await this.attempt(`Removing ${name}`, async () => {
      await api.deleteBot(name);
      return true;
    });
    if (!done) return;
    this.bots = this.bots.filter((bot) => bot.name !== name);
    if (this.selectedBotName === name) this.selectedBotName = this.bots[0]?.name ?? null;
    this.changed();
  }

  async refetchSettings(name: string): Promise<void> {
    const bot = await this.attempt(`Fetching ${name}'s settings`, () => api.refetchSettings(name));
    if (!bot) return;
    this.bots = this.bots.map((b) => (b.name === bot.name ? bot : b));
    if (bot.settingsError)
      this.toasts.show(`${bot.name}'s settings could not be fetched: ${bot.settingsError}`);
    else this.toasts.show(`${bot.name}'s settings fetched`, "info");
    this.changed();
  }

  selectBot(name: string): void {
    this.selectedBotName = name;
    this.changed();
  }

  async setBalance(balance: number): Promise<boolean> {
    const result = await this.attempt("Setting the balance", () => api.setBalance(balance));
    if (!result) return false;
    this.balance = result.balance;
    this.changed();
    return true;
  }
}

export const store = new Store();
