import type { ServerKind } from '../../shared/server';

/**
 * The few line icons the UI needs, drawn inline (no icon font, no request: the CSP allows only
 * our own files). 24×24 grid, stroke in currentColor so they follow the theme.
 */
const PATHS = {
  physical: 'M4 4h16v6H4zM4 14h16v6H4zM7.5 7h.01M7.5 17h.01M11 7h6M11 17h6',
  'proxmox-node': 'M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 12l8-4.5M12 12v9M12 12L4 7.5',
  vm: 'M3 5h18v12H3zM8 21h8M12 17v4',
  lxc: 'M3 8l9-5 9 5v8l-9 5-9-5zM3 8l9 5 9-5M12 13v8M7.5 5.5l9 5',
  plus: 'M12 5v14M5 12h14',
  close: 'M6 6l12 12M18 6L6 18',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4zM10 21h4',
  search: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4',
  edit: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  alert: 'M12 3l10 18H2zM12 10v5M12 18h.01',
  info: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5h.01',
  check: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12.5l3 3 5-6',
  error: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9 9l6 6M15 9l-6 6',
  lock: 'M6 11h12v10H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3M12 15v2',
  plug: 'M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4',
  arrowUp: 'M12 19V5M6 11l6-6 6 6',
  // Power and guest actions.
  power: 'M12 3v8M6.6 6.6a7.5 7.5 0 1 0 10.8 0',
  moon: 'M19.5 14.2A7.8 7.8 0 0 1 9.8 4.5a7.8 7.8 0 1 0 9.7 9.7z',
  snow: 'M12 3v18M4.2 7.5l15.6 9M19.8 7.5l-15.6 9M9.5 4.5L12 6l2.5-1.5M9.5 19.5L12 18l2.5 1.5',
  reboot: 'M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4.2h-4.2',
  sun: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM12 2.5v2M12 19.5v2M2.5 12h2M19.5 12h2M5.3 5.3l1.4 1.4M17.3 17.3l1.4 1.4M5.3 18.7l1.4-1.4M17.3 6.7l1.4-1.4',
  play: 'M8 5.5v13l10.5-6.5z',
  pause: 'M9 5.5v13M15 5.5v13',
  stop: 'M6.5 6.5h11v11h-11z',
  bolt: 'M13 3L5 13.5h6.5L10.5 21 19 10.5h-6.5z',
  camera: 'M4 8h3.2l1.8-2.5h6l1.8 2.5H20v11H4zM12 10.5a3.2 3.2 0 1 0 0 6.4 3.2 3.2 0 0 0 0-6.4z',
  key: 'M14.5 4a5.5 5.5 0 0 0-5.2 7.3L3.5 17v3.5H7v-2h2v-2h2l1.3-1.3A5.5 5.5 0 1 0 14.5 4zM16 8h.01',
  heart: 'M12 19.5s-7.5-4.6-7.5-10.2A4.2 4.2 0 0 1 12 6.8a4.2 4.2 0 0 1 7.5 2.5c0 5.6-7.5 10.2-7.5 10.2z',
  refresh: 'M4.5 12a7.5 7.5 0 0 1 12.8-5.3L19.5 9M19.5 4.5V9H15M19.5 12a7.5 7.5 0 0 1-12.8 5.3L4.5 15M4.5 19.5V15H9',
  tag: 'M3.5 12.2V4.5a1 1 0 0 1 1-1h7.7l8.3 8.3-8.7 8.7zM8 8h.01',
  shield: 'M12 3l7.5 3v5.5c0 4.5-3.2 8-7.5 9.5-4.3-1.5-7.5-5-7.5-9.5V6z',
  template: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  disk: 'M4 6c0-1.4 3.6-2.5 8-2.5s8 1.1 8 2.5v12c0 1.4-3.6 2.5-8 2.5s-8-1.1-8-2.5zM4 6c0 1.4 3.6 2.5 8 2.5s8-1.1 8-2.5M4 12c0 1.4 3.6 2.5 8 2.5s8-1.1 8-2.5',
  network: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9M12 3C9.5 5.5 8.2 8.5 8.2 12s1.3 6.5 3.8 9',
  chevron: 'M9 6l6 6-6 6',
} as const;

export type IconName = keyof typeof PATHS;

let maskSheet = false;

/**
 * The icon as a CSS mask: a class (`mask-icon i-<name>`) whose ::before paints currentColor
 * through the icon, instead of an <svg> and its <path> in every button a card repeats. The rules
 * are written once, into one <style>, the first time an icon is asked for.
 */
export function iconClass(name: IconName): string {
  if (!maskSheet && typeof document !== 'undefined') {
    maskSheet = true;
    const rules = (Object.keys(PATHS) as IconName[]).map((n) => {
      const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'><path d='${PATHS[n]}'/></svg>`;
      return `.i-${n}{--icon:url("data:image/svg+xml,${encodeURIComponent(svg)}")}`;
    });
    const style = document.createElement('style');
    style.dataset.icons = '';
    style.textContent = rules.join('\n');
    document.head.appendChild(style);
  }
  return `mask-icon i-${name}`;
}

export function Icon({ name, size = 18, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

export function KindIcon({ kind, size }: { kind: ServerKind; size?: number }) {
  return <Icon name={kind} {...(size ? { size } : {})} />;
}
