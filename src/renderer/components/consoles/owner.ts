import type { RackdeckClient } from '../../../shared/contract';

/**
 * This window's name for its console sessions. Main closes a window's sessions when it says it
 * goes away (pagehide) or when its keep-alives stop (the window crashed or lost its link).
 */
function newOwner(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `win-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const OWNER = newOwner();
const KEEPALIVE_MS = 20_000;

let holders = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let boundClient: RackdeckClient | undefined;

export function consoleOwner(): string {
  return OWNER;
}

function onPageHide(): void {
  void boundClient?.consoles.closeOwner({ owner: OWNER }).catch(() => undefined);
}

/** Held by each open console view; keeps the window's sessions alive while any is held. */
export function holdOwner(client: RackdeckClient): () => void {
  holders += 1;
  boundClient = client;
  if (!timer) {
    timer = setInterval(() => void client.consoles.keepalive({ owner: OWNER }).catch(() => undefined), KEEPALIVE_MS);
    window.addEventListener('pagehide', onPageHide);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
      window.removeEventListener('pagehide', onPageHide);
    }
  };
}
