import { createServer } from 'node:net';
import type { ServiceName } from './hosts/spec';

/**
 * Where each simulated host listens. Linux routes all of 127/8 to loopback, so every host can
 * have its own 127.0.1.x address and the real service ports; where only 127.0.0.1 exists
 * (macOS), every host gets its own block of ports on 127.0.0.1 instead.
 */
export const STANDARD_PORTS: Readonly<Record<ServiceName, number>> = {
  ssh: 2222,
  http: 8080,
  https: 8443,
  rdp: 3389,
  vnc: 5900,
  proxmox: 8006,
};

/** Ports per host in single-address mode; offsets are stable so a host's ports are predictable. */
export const PORT_BLOCK_SIZE = 8;
const BLOCK_OFFSETS: Readonly<Record<ServiceName, number>> = { ssh: 0, http: 1, https: 2, rdp: 3, vnc: 4, proxmox: 5 };

export const DEFAULT_FIRST_ADDRESS = '127.0.1.1';
export const SINGLE_ADDRESS = '127.0.0.1';
/** Below Linux's ephemeral range (32768+) so outgoing connections never collide with a host. */
export const DEFAULT_BASE_PORT = 20000;

export interface AddressPlan {
  singleAddress: boolean;
  firstAddress: string;
  basePort: number;
}

export function hostAddress(plan: AddressPlan, index: number): string {
  if (plan.singleAddress) return SINGLE_ADDRESS;
  // Skip .0 and .255 in the last octet: they read as network/broadcast addresses to humans and tools.
  const first = ipv4ToInt(plan.firstAddress);
  const firstLast = first & 0xff;
  const perBlock = 254;
  const offsetInBlock = firstLast - 1 + index;
  const value = (first & ~0xff) + Math.floor(offsetInBlock / perBlock) * 256 + (offsetInBlock % perBlock) + 1;
  const address = intToIpv4(value);
  if (!address.startsWith('127.')) throw new Error(`lab address ${address} would leave 127.0.0.0/8`);
  return address;
}

export function hostPorts(plan: AddressPlan, index: number, services: readonly ServiceName[]): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const service of services) {
    ports[service] = plan.singleAddress
      ? plan.basePort + index * PORT_BLOCK_SIZE + BLOCK_OFFSETS[service]
      : STANDARD_PORTS[service];
  }
  return ports;
}

export function assertLoopback(address: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address.split('.').some((o) => Number(o) > 255)) {
    throw new Error(`lab address ${address} is not in 127.0.0.0/8`);
  }
}

/** True when a socket can bind to `address` (false on systems that only configure 127.0.0.1). */
export function canBindAddress(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: address, port: 0, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function ipv4ToInt(address: string): number {
  assertLoopback(address);
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
