/**
 * Undo steps run in reverse order, every one of them even when an earlier one throws, so a
 * failing test never leaves a server process, a browser or a temp folder behind.
 */
export class Cleanup {
  private steps: { label: string; fn: () => unknown }[] = [];

  add(label: string, fn: () => unknown): void {
    this.steps.push({ label, fn });
  }

  async run(): Promise<void> {
    const errors: string[] = [];
    for (const { label, fn } of this.steps.reverse()) {
      try {
        await fn();
      } catch (error) {
        errors.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.steps = [];
    if (errors.length > 0) throw new Error(`cleanup failed: ${errors.join('; ')}`);
  }
}
