import { lazy, Suspense, useState } from 'react';
import type { ServerView } from '../../../shared/server';
import { Modal } from '../Modal';
import { Icon } from '../Icon';
import './metrics.css';

// chart.js and date-fns are a quarter of the first paint's bundle: loaded when a drawer first opens.
const MetricsPanel = lazy(() => import('./MetricsPanel').then((m) => ({ default: m.MetricsPanel })));

/** An empty panel of the charts' size while they load, so the drawer does not jump. */
const loading = <div className="mpanel" data-loading />;

/** The drawer's charts, with a larger view of the same four, two by two. */
export function MetricsSection({ server }: { server: ServerView }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <div className="msection">
      <button type="button" className="icon-btn msection-expand" aria-label="Open larger charts" title="Larger charts" data-testid="metrics-expand" onClick={() => setExpanded(true)}>
        <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
          <path d="M14 4h6v6M10 20H4v-6M20 4l-7 7M4 20l7-7" />
        </svg>
      </button>
      <Suspense fallback={loading}>
        <MetricsPanel serverId={server.id} serverName={server.name} />
      </Suspense>
      {expanded && (
        <Modal titleId="metrics-modal-title" className="metrics-modal" testId="metrics-modal" onClose={() => setExpanded(false)}>
          <div className="modal-head">
            <h2 id="metrics-modal-title">{server.name} <span className="muted mono">{server.address}</span></h2>
            <button type="button" className="icon-btn" aria-label="Close" onClick={() => setExpanded(false)}>
              <Icon name="close" />
            </button>
          </div>
          <div className="modal-body">
            <Suspense fallback={loading}>
              <MetricsPanel serverId={server.id} serverName={server.name} layout="grid" />
            </Suspense>
          </div>
        </Modal>
      )}
    </div>
  );
}
