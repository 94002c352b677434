import { HealthBadge } from './HealthBadge';
import { useServerHealth } from './health-store';

/** The health badge for a server card: nothing at all for servers without an agent, so cards stay quiet. */
export function CardHealthBadge({ serverId }: { serverId: string }) {
  const health = useServerHealth(serverId);
  if (!health || (health.state === 'unknown' && !health.hasAgentKey)) return null;
  return <HealthBadge health={health} />;
}
