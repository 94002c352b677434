import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { onSchemeChange, terminalFont, terminalTheme } from './theme';

export interface TerminalHandle {
  term: Terminal;
  search: SearchAddon;
  /** Fits the terminal to its box now (it also does so on every resize of the box). */
  fit(): void;
  copySelection(): Promise<boolean>;
  pasteClipboard(): Promise<void>;
}

export interface TerminalOptions {
  readOnly?: boolean;
  scrollback?: number;
  onData?(data: string): void;
  onResize?(cols: number, rows: number): void;
}

/**
 * An xterm.js terminal in `container`, fitted to it, themed from the app's CSS variables (and
 * re-themed when the OS switches light/dark), with search, clickable links, and copy/paste on
 * Ctrl+Shift+C / Ctrl+Shift+V (Ctrl+C stays an interrupt).
 */
export function useTerminal(container: RefObject<HTMLDivElement | null>, options: TerminalOptions = {}): TerminalHandle | null {
  const [handle, setHandle] = useState<TerminalHandle | null>(null);
  const callbacks = useRef(options);
  callbacks.current = options;
  const readOnly = options.readOnly ?? false;
  const scrollback = options.scrollback ?? 5000;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const term = new Terminal({
      theme: terminalTheme(el),
      fontFamily: terminalFont(el),
      fontSize: 13,
      scrollback,
      cursorBlink: !readOnly,
      disableStdin: readOnly,
      convertEol: readOnly,
      allowProposedApi: true,
    });
    const fitAddon = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fitAddon);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener,noreferrer')));
    term.open(el);

    const copySelection = async () => {
      if (!term.hasSelection()) return false;
      await navigator.clipboard.writeText(term.getSelection());
      return true;
    };
    const pasteClipboard = async () => {
      if (readOnly) return;
      const text = await navigator.clipboard.readText();
      if (text) term.paste(text);
    };
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown' || !ev.ctrlKey || !ev.shiftKey) return true;
      const key = ev.key.toLowerCase();
      if (key === 'c') {
        void copySelection();
        return false;
      }
      if (key === 'v') {
        ev.preventDefault();
        void pasteClipboard();
        return false;
      }
      return true;
    });

    const fit = () => {
      // A hidden tab has no size; fitting it would shrink the remote terminal to nothing.
      if (el.offsetWidth === 0 || el.offsetHeight === 0) return;
      try {
        fitAddon.fit();
      } catch {
        // not laid out yet
      }
    };
    const dataSub = term.onData((d) => callbacks.current.onData?.(d));
    const resizeSub = term.onResize(({ cols, rows }) => callbacks.current.onResize?.(cols, rows));
    const observer = new ResizeObserver(() => fit());
    observer.observe(el);
    const offScheme = onSchemeChange(() => {
      term.options.theme = terminalTheme(el);
    });
    fit();
    setHandle({ term, search, fit, copySelection, pasteClipboard });
    return () => {
      observer.disconnect();
      offScheme();
      dataSub.dispose();
      resizeSub.dispose();
      term.dispose();
      setHandle(null);
    };
  }, [container, readOnly, scrollback]);

  return handle;
}
