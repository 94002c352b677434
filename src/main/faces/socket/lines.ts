/** Limit of one frame on the control socket, as on the web face: the largest request is a few kilobytes. */
export const MAX_LINE = 1024 * 1024;

/**
 * Splits a byte stream into newline-terminated frames. A line longer than `max` is not a frame
 * of ours: `onOverflow` is called once and nothing more is read.
 */
export function lineSplitter(onLine: (line: string) => void, onOverflow: () => void, max = MAX_LINE): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let broken = false;
  return (chunk) => {
    if (broken) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > max) {
        broken = true;
        onOverflow();
        return;
      }
      const line = pending.length > 0 ? Buffer.concat([...pending, piece]).toString('utf8') : piece.toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      if (line.trim() !== '') onLine(line);
      if (broken) return;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) return;
    if (pendingBytes + rest.length > max) {
      broken = true;
      onOverflow();
      return;
    }
    pending.push(rest);
    pendingBytes += rest.length;
  };
}
