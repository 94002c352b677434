/** Placeholder cards until the first snapshot, shaped like the real ones so nothing jumps. */
export function SkeletonGrid({ count = 8 }: { count?: number }) {
  return (
    <div className="grid" data-testid="loading" aria-busy="true" aria-label="Loading servers">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="card skeleton" aria-hidden="true">
          <div className="sk-row">
            <span className="sk sk-icon" />
            <span className="sk-col">
              <span className="sk sk-line w60" />
              <span className="sk sk-line w40" />
            </span>
            <span className="sk sk-pill" />
          </div>
          <div className="sk-row">
            <span className="sk sk-chip" />
            <span className="sk sk-chip" />
            <span className="sk sk-chip" />
          </div>
          <span className="sk sk-line w50" />
        </div>
      ))}
    </div>
  );
}
