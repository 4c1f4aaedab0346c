/**
 * A wake-up call for the delivery worker: the write path calls `notifyOutboxWritten()` after
 * committing outbox rows, so that they go out at once rather than at the worker's next poll.
 * A hint only: rows are found by polling anyway (they may come from another process).
 */

type Listener = () => void;

const listeners = new Set<Listener>();

/** Tells this process's delivery worker (if any) that notifications are waiting. */
export function notifyOutboxWritten(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` on every `notifyOutboxWritten()`; returns the function that stops it. */
export function onOutboxWritten(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The IPC message a cluster worker sends its primary, where delivery runs. */
export const OUTBOX_WRITTEN_MESSAGE = 'itinera:outbox-written';

/**
 * In a cluster worker: passes wake-ups on to the primary, at most one message per turn of the
 * event loop however many writes committed in it.
 */
export function forwardOutboxSignals(send: (message: string) => void): () => void {
  let queued = false;
  return onOutboxWritten(() => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      send(OUTBOX_WRITTEN_MESSAGE);
    });
  });
}
