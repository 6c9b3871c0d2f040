/** A signal that follows others, and the way to let go of them. */
export interface LinkedSignal {
  /** Aborts, with the same reason, as soon as one of the signals it follows does. */
  readonly signal: AbortSignal;
  /** Stops following: call it once the work the signal was for is over. */
  release(): void;
}

/**
 * Follows several abort signals with one, like `AbortSignal.any`, but leaves nothing behind once
 * released. On Node 20, every signal `AbortSignal.any` ties to a long-lived one stays referenced by
 * it for as long as it lives; the simulator's shutdown signal lives as long as the process, so each
 * bot call and each answer cost some 60 bytes for good.
 *
 * @example
 * const linked = linkSignals(callerGone, context.tasks.signal);
 * try { await recordExchange(context, { ...input, signal: linked.signal }); } finally { linked.release(); }
 */
export function linkSignals(...signals: AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const already = signals.find((signal) => signal.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const listeners = signals.map((signal) => {
    const listener = () => {
      release();
      controller.abort(signal.reason);
    };
    signal.addEventListener("abort", listener, { once: true });
    return [signal, listener] as const;
  });
  const release = () => {
    for (const [signal, listener] of listeners) signal.removeEventListener("abort", listener);
  };
  return { signal: controller.signal, release };
}
