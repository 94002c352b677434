import { useCallback, useEffect, useState } from 'react';
import type { HealthView, ResetRecord } from '../../../shared/contract/agents';
import { useClient } from '../../hooks/useClient';

/**
 * One server's health and reset history: read once, then kept current by `health.changed`
 * events (the history is read again when the health changes, which is when a reset happens).
 */
export function useHealth(serverId: string) {
  const client = useClient();
  const [health, setHealth] = useState<HealthView | undefined>(undefined);
  const [resets, setResets] = useState<ResetRecord[]>([]);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [h, r] = await Promise.all([client.agents.health({ id: serverId }), client.agents.resets({ id: serverId, limit: 20 })]);
      setHealth(h);
      setResets(r);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [client, serverId]);

  useEffect(() => {
    void reload();
    return client.on('health.changed', (view) => {
      if (view.serverId !== serverId) return;
      setHealth(view);
      void client.agents.resets({ id: serverId, limit: 20 }).then(setResets, () => undefined);
    });
  }, [client, serverId, reload]);

  // A reset in progress ends without a health change (it stays "reset pending" until the agent
  // reports): look at the history again until it has finished.
  const running = resets.some((r) => r.finishedAt === undefined);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void client.agents.resets({ id: serverId, limit: 20 }).then(setResets, () => undefined), 2_000);
    return () => clearInterval(t);
  }, [client, serverId, running]);

  return { health, resets, error, reload };
}
