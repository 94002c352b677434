import { HealthBadge } from './HealthBadge';
import { useServerHealth } from './health-store';

/**
 * The health badge for a server card: nothing until an agent has reported (most servers have
 * none), so cards stay quiet; the drawer's Health agent section says why.
 */
export function CardHealthBadge({ serverId }: { serverId: string }) {
  const health = useServerHealth(serverId);
  if (!health || health.state === 'unknown') return null;
  return <HealthBadge health={health} />;
}
