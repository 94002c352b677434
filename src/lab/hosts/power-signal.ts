import type { LabPower } from '../types';

/**
 * Who waits on a simulated host's power state: observers, and promises for "once it is X".
 * A failing observer must not break the host's state machine, so each is called on its own.
 */
export class PowerSignal {
  private readonly listeners = new Set<(power: LabPower) => void>();

  constructor(private readonly hostId: string, private readonly current: () => LabPower) {}

  on(listener: (power: LabPower) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(power: LabPower): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(power);
      } catch {
        // See the class comment.
      }
    }
  }

  /** Resolves once the host is in `target`; rejects after `timeoutMs`. */
  waitFor(target: LabPower, timeoutMs: number): Promise<void> {
    if (this.current() === target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.hostId}: still ${this.current()} after ${timeoutMs} ms waiting for ${target}`));
      }, timeoutMs);
      const off = this.on((power) => {
        if (power !== target) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  /** Resolves at the end of a transition: down (off, suspended) or back on. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.on((power) => {
        if (power === 'off' || power === 'suspended' || power === 'on') {
          off();
          resolve();
        }
      });
    });
  }

  clear(): void {
    this.listeners.clear();
  }
}
