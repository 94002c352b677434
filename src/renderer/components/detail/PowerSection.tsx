import type { ServerView } from '../../../shared/server';
import { DesiredState } from '../power/DesiredState';
import { HostKeyChanged } from '../power/HostKeyChanged';
import { PowerActions } from '../power/PowerActions';

/** A machine's power in the drawer: a changed host key first, every action, and where to keep it. */
export function PowerSection({ server }: { server: ServerView }) {
  return (
    <div className="drawer-stack">
      <HostKeyChanged server={server} />
      <PowerActions server={server} />
      <div>
        <h4 className="drawer-sub">Keep it</h4>
        <DesiredState server={server} />
      </div>
    </div>
  );
}
