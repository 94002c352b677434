import { iconClass } from './Icon';
import { POWER_ICONS } from './power/PowerActions';

/**
 * The power buttons' icons, drawn unseen while the page waits for its first snapshot: the browser
 * builds each icon's image (an SVG document of its own) and their style rules then, not in the
 * frame that draws the first cards (issue 16: that frame's style pass cost 4 times a later one).
 */
function IconWarmUp() {
  return (
    <span className="sk-warm" aria-hidden="true">
      {Object.values(POWER_ICONS).map((name) => (
        <i key={name} className={iconClass(name)} />
      ))}
    </span>
  );
}

/** Placeholder cards until the first snapshot, shaped like the real ones so nothing jumps. */
export function SkeletonGrid({ count = 8 }: { count?: number }) {
  return (
    <>
      <IconWarmUp />
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
    </>
  );
}
