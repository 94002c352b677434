/**
 * What a metrics parser throws when its input is not what the kernel or `df` prints. The message
 * names the source, the line and what was wrong, so a log line is enough to see why a host's
 * figures are missing.
 */
export class ParseError extends Error {
  constructor(
    /** `/proc/stat`, `df -B1`… */
    readonly source: string,
    readonly reason: string,
    /** 1-based line number in the input, when one line is at fault. */
    readonly line?: number,
    readonly excerpt?: string,
  ) {
    super(`${source}: ${line !== undefined ? `line ${line}: ` : ''}${reason}${excerpt !== undefined ? ` (got "${clip(excerpt)}")` : ''}`);
    this.name = 'ParseError';
  }
}

function clip(text: string): string {
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}
