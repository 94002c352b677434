export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export const consoleLogger: Logger = {
  info: (m, ...d) => console.log(`[rackdeck] ${m}`, ...d),
  warn: (m, ...d) => console.warn(`[rackdeck] ${m}`, ...d),
  error: (m, ...d) => console.error(`[rackdeck] ${m}`, ...d),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Collects lines for tests that assert what was logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
