/** What main knows about who sent an IPC request. */
export interface SenderInfo {
  /** `event.sender.id`: the WebContents that sent it. */
  contentsId: number;
  /** `event.senderFrame.url`; undefined when the frame is gone or navigated away. */
  frameUrl: string | undefined;
  /** Whether the sending frame is the top frame of its page. */
  isMainFrame: boolean;
}

export interface ExpectedSender {
  /** Our window's WebContents id, or undefined when there is no window. */
  contentsId: number | undefined;
  /** The file URL of our renderer's index.html. */
  indexUrl: string;
  /** File paths compare case-insensitively on Windows. */
  platform?: NodeJS.Platform;
}

/** file:///a/index.html#x?y → file:///a/index.html, decoded, so encodings of one path compare equal. */
function documentOf(url: string, platform: NodeJS.Platform | undefined): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  return platform === 'win32' ? pathname.toLowerCase() : pathname;
}

/**
 * Only our own window's top frame, showing our own index.html from disk, may call the router.
 * Anything else (another window, an iframe, a page that navigated somewhere) is refused.
 */
export function senderAllowed(sender: SenderInfo, expected: ExpectedSender): boolean {
  if (expected.contentsId === undefined || sender.contentsId !== expected.contentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === undefined) return false;
  const actual = documentOf(sender.frameUrl, expected.platform);
  return actual !== undefined && actual === documentOf(expected.indexUrl, expected.platform);
}
