import { useEffect, useState } from 'react';
import type { ProxmoxTask } from '../../../shared/contract/proxmox';
import { useClient } from '../../hooks/useClient';

/**
 * A task's live state: read once, then kept current by the `proxmox.task` events main sends
 * while it follows the task (a browser tab that connects late still gets the whole log).
 */
export function useTask(upid: string | null, initial?: ProxmoxTask): { task: ProxmoxTask | null; error: string | null } {
  const client = useClient();
  const [task, setTask] = useState<ProxmoxTask | null>(initial && initial.upid === upid ? initial : null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!upid) return;
    let live = true;
    const off = client.on('proxmox.task', (t) => {
      if (live && t.upid === upid) setTask(t);
    });
    client.proxmox
      .task({ upid })
      .then((t) => {
        // An event may have brought a newer state meanwhile: keep the one with more log.
        if (live) setTask((cur) => (cur && (cur.status === 'stopped' || cur.log.length > t.log.length) ? cur : t));
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
      off();
    };
  }, [client, upid]);
  return { task, error };
}
