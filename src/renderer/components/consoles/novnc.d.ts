/** The part of noVNC's RFB (core/rfb.js, exported by @novnc/novnc) Rackdeck uses; noVNC ships no types. */
declare module '@novnc/novnc' {
  /** What RFB accepts instead of a URL: a WebSocket-shaped channel (noVNC checks these members exist). */
  export interface RfbChannel {
    binaryType: string;
    protocol: string;
    readyState: number;
    send(data: ArrayBuffer | Uint8Array): void;
    close(): void;
    onopen: ((ev?: unknown) => void) | null;
    onmessage: ((ev: { data: ArrayBuffer }) => void) | null;
    onerror: ((ev?: unknown) => void) | null;
    onclose: ((ev: { code: number; reason: string; wasClean: boolean }) => void) | null;
  }

  export interface RfbOptions {
    shared?: boolean;
    credentials?: { username?: string; password?: string; target?: string };
    repeaterID?: string;
    wsProtocols?: string[];
  }

  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | RfbChannel, options?: RfbOptions);
    scaleViewport: boolean;
    clipViewport: boolean;
    resizeSession: boolean;
    viewOnly: boolean;
    focusOnClick: boolean;
    background: string;
    qualityLevel: number;
    compressionLevel: number;
    disconnect(): void;
    sendCtrlAltDel(): void;
    sendKey(keysym: number, code: string | null, down?: boolean): void;
    focus(options?: FocusOptions): void;
    blur(): void;
    clipboardPasteFrom(text: string): void;
  }
}
