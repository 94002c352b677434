import type { ITheme } from '@xterm/xterm';

/** Reads the app's design tokens (theme.css) so terminals follow light and dark like the rest. */
export function terminalTheme(el: Element = document.documentElement): ITheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const bg = v('--surface-2', '#f7f8fb');
  const fg = v('--text', '#131a24');
  return {
    background: bg,
    foreground: fg,
    cursor: v('--accent', '#2f6bff'),
    cursorAccent: bg,
    selectionBackground: v('--accent-soft', '#e8efff'),
    selectionInactiveBackground: v('--surface-3', '#eef1f5'),
    black: v('--text-2', '#3b4656'),
    red: v('--failed', '#d93036'),
    green: v('--on', '#0f9d58'),
    yellow: v('--busy', '#c77700'),
    blue: v('--accent', '#2f6bff'),
    magenta: v('--asleep', '#5b4fe0'),
    cyan: v('--paused', '#2b7bd9'),
    white: v('--muted', '#677386'),
    brightBlack: v('--faint', '#98a2b3'),
    brightRed: v('--failed', '#d93036'),
    brightGreen: v('--on', '#0f9d58'),
    brightYellow: v('--busy', '#c77700'),
    brightBlue: v('--accent-strong', '#1f56e0'),
    brightMagenta: v('--asleep', '#5b4fe0'),
    brightCyan: v('--paused', '#2b7bd9'),
    brightWhite: fg,
  };
}

export function terminalFont(el: Element = document.documentElement): string {
  return getComputedStyle(el).getPropertyValue('--mono').trim() || 'monospace';
}

/** Calls `listener` when the OS switches between light and dark. */
export function onSchemeChange(listener: () => void): () => void {
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', listener);
  return () => mq.removeEventListener('change', listener);
}
