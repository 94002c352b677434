import type { ClusterConfig } from '../../shared/contract/proxmox';
import { pveMajor } from '../drivers/proxmox/model/token-setup';

/**
 * Pure: whether a cluster's consoles can open with the credentials Rackdeck holds. Proxmox VE
 * 9.1 checks a console's login through /access/vncticket, which takes an API token; 8.x posts
 * it to /access/ticket as a user name, which a token id is not, and the console closes right
 * after it opened (src/lab/proxmox/README.md, "Consoles by API token"). A ticket login works on
 * both; so does a console login kept beside the token. An unknown release is tried: the console
 * then says why if it is refused.
 */
export function consoleRefusal(config: Pick<ClusterConfig, 'name' | 'auth' | 'consoleUser'>, version: string | undefined): string | undefined {
  if (config.auth !== 'token' || config.consoleUser) return undefined;
  const major = pveMajor(version);
  if (major === undefined || major >= 9) return undefined;
  return (
    `Proxmox VE ${version} does not accept API tokens on consoles (9.1 does). ` +
    `Add a user login for the consoles of cluster ${config.name} (Proxmox panel → ${config.name} → Console login), or upgrade the cluster to 9.1.`
  );
}
