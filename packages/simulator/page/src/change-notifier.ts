/**
 * Tells its listeners that something changed, at most once a frame: any number of changes made in one
 * task cost one re-render.
 */
export class ChangeNotifier {
  private listeners = new Set<() => void>();
  private notifyScheduled = false;

  /** Calls `listener` after each frame with changes; returns the call that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Schedules one notification for everything changed in this frame. */
  changed(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const run = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    // A hidden tab gets no animation frames; its listeners still hear of changes, later.
    if (document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 50);
  }
}
