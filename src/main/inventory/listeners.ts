/**
 * A set of listeners the engine tells about something. With `onError`, one listener that throws
 * is reported and the others still hear it (a history write must not stop a notice); without,
 * the error reaches whoever caused the event, as a bug should.
 */
export class Listeners<A extends unknown[]> {
  private readonly set = new Set<(...args: A) => void>();

  constructor(private readonly onError?: (error: unknown) => void) {}

  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: A): void {
    for (const listener of this.set) {
      if (!this.onError) listener(...args);
      else {
        try {
          listener(...args);
        } catch (error) {
          this.onError(error);
        }
      }
    }
  }
}
