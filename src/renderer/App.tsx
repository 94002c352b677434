import { lazy, Suspense, type ReactNode } from 'react';
import { AccessPanel } from './components/AccessPanel';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ConsoleDock } from './components/consoles/ConsoleDock';
import { EmptyState } from './components/EmptyState';
import { FormHost } from './components/FormHost';
import { useGroupFilter } from './components/groups/filter-store';
import { GroupFilterBar } from './components/groups/GroupFilterBar';
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
// So are the drawer and the dialogs: each a chunk loaded when first opened. With them (and the
// checks, agents, Proxmox and automation sections they hold) went the contract's schemas and zod
// from the first paint's bundle, which the page built before it could open its socket (issue 16).
const ServerDetail = lazy(() => import('./components/ServerDetail').then((m) => ({ default: m.ServerDetail })));
const RemoveDialog = lazy(() => import('./components/RemoveDialog').then((m) => ({ default: m.RemoveDialog })));
const PowerConfirm = lazy(() => import('./components/power/PowerConfirm').then((m) => ({ default: m.PowerConfirm })));
const GuestConfirm = lazy(() => import('./components/proxmox/GuestConfirm').then((m) => ({ default: m.GuestConfirm })));
const GroupDialog = lazy(() => import('./components/groups/GroupDialog').then((m) => ({ default: m.GroupDialog })));
const BulkDialog = lazy(() => import('./components/groups/BulkDialog').then((m) => ({ default: m.BulkDialog })));

/** A lazy part, mounted only while `open`, in a boundary of its own: one loading never hides another that is open. */
function Later({ open, children }: { open: boolean; children: ReactNode }) {
  return open ? <Suspense fallback={null}>{children}</Suspense> : null;
}

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
  const removing = useUi((u) => u.removingId !== null);
  const powerAsk = useUi((u) => u.powerAsk !== null);
  const guestAsk = useUi((u) => u.guestAsk !== null);
  const groupEdit = useGroupFilter((f) => f.editing);
  const bulk = useGroupFilter((f) => f.bulk !== null);
  return (
    <div className="app" data-drawer={drawerOpen ? 'open' : undefined}>
      <TopBar />
      <ConnectionBanner />
      <SetAsideBanner />
      <GroupFilterBar />
      <main className="content" data-stale={stale || undefined}>
        <Content />
      </main>
      <Later open={drawerOpen}>
        <ServerDetail />
      </Later>
      <FormHost />
      <Later open={removing}>
        <RemoveDialog />
      </Later>
      <Later open={powerAsk}>
        <PowerConfirm />
      </Later>
      <Later open={guestAsk}>
        <GuestConfirm />
      </Later>
      <Later open={groupEdit}>
        <GroupDialog />
      </Later>
      <Later open={bulk}>
        <BulkDialog />
      </Later>
      <Later open={panel === 'proxmox'}>
        <ProxmoxPanel />
      </Later>
      <ConsoleDock />
      <Toasts />
    </div>
  );
}
