import { lazy, Suspense } from 'react';
import { AccessPanel } from './components/AccessPanel';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ConsoleDock } from './components/consoles/ConsoleDock';
import { EmptyState } from './components/EmptyState';
import { FormHost } from './components/FormHost';
import { PowerConfirm } from './components/power/PowerConfirm';
import { GuestConfirm } from './components/proxmox/GuestConfirm';
import { BulkDialog } from './components/groups/BulkDialog';
import { GroupDialog } from './components/groups/GroupDialog';
import { GroupFilterBar } from './components/groups/GroupFilterBar';
import { RemoveDialog } from './components/RemoveDialog';
import { ServerDetail } from './components/ServerDetail';
import { ServerGrid } from './components/ServerGrid';
import { SetAsideBanner } from './components/SetAsideBanner';
import { SkeletonGrid } from './components/SkeletonGrid';
import { Toasts } from './components/Toasts';
import { TopBar } from './components/TopBar';
import { useBrowserNotifications } from './hooks/useBrowserNotifications';
import { useDocumentTitle } from './hooks/useDocumentTitle';
import { useRackdeck } from './store';
import { useUi } from './ui-store';

// The clusters' panel is opened from a menu, never the first screen: a chunk of its own, loaded
// when first opened, so the first paint's bundle neither downloads nor compiles it (issue 16).
const ProxmoxPanel = lazy(() => import('./components/proxmox/ProxmoxPanel').then((m) => ({ default: m.ProxmoxPanel })));

function Content() {
  const loaded = useRackdeck((s) => s.loaded);
  const empty = useRackdeck((s) => Object.keys(s.servers).length === 0);
  const unauthorized = useRackdeck((s) => s.connection.state === 'unauthorized');
  if (!loaded) return unauthorized ? <AccessPanel /> : <SkeletonGrid />;
  return empty ? <EmptyState /> : <ServerGrid />;
}

export function App() {
  useBrowserNotifications();
  useDocumentTitle();
  const drawerOpen = useUi((u) => u.selectedId !== null);
  const stale = useRackdeck((s) => s.loaded && s.connection.state !== 'open');
  const panel = useUi((u) => u.panel);
  return (
    <div className="app" data-drawer={drawerOpen ? 'open' : undefined}>
      <TopBar />
      <ConnectionBanner />
      <SetAsideBanner />
      <GroupFilterBar />
      <main className="content" data-stale={stale || undefined}>
        <Content />
      </main>
      <ServerDetail />
      <FormHost />
      <RemoveDialog />
      <PowerConfirm />
      <GuestConfirm />
      <GroupDialog />
      <BulkDialog />
      <Suspense fallback={null}>{panel === 'proxmox' && <ProxmoxPanel />}</Suspense>
      <ConsoleDock />
      <Toasts />
    </div>
  );
}
