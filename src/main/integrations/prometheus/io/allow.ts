import net from 'node:net';
import type { AllowMatcher } from '../../ports';

/** The allow-list as a BlockList: IPv4 and IPv6 addresses and CIDR blocks, an IPv4-mapped peer (::ffff:a.b.c.d) as its IPv4 self. */
export const blockListMatcher: AllowMatcher = (allow) => {
  const list = new net.BlockList();
  for (const entry of allow) {
    const [address = '', prefix] = entry.split('/');
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (peer) => {
    if (!peer) return false;
    const plain = peer.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
    return list.check(plain, net.isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
};
