/** Rackdeck's mark: three rack units, the middle one lit. */
export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo">
      <rect x="2" y="2" width="28" height="28" rx="7" fill="var(--accent)" />
      <rect x="8" y="8" width="16" height="4" rx="1.5" fill="#fff" opacity="0.55" />
      <rect x="8" y="14" width="16" height="4" rx="1.5" fill="#fff" />
      <rect x="8" y="20" width="16" height="4" rx="1.5" fill="#fff" opacity="0.55" />
      <circle cx="21" cy="16" r="1.3" fill="var(--accent)" />
    </svg>
  );
}
