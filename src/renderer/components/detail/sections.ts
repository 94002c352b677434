import type { ComponentType } from 'react';
import type { ServerView } from '../../../shared/server';
import { AgentPanel } from '../health/AgentPanel';
import { ConsoleSection } from '../consoles/ConsoleSection';
import { SystemInfo } from '../power/SystemInfo';
import { ConnectionSection } from './ConnectionSection';
import { GuestsSection } from './GuestsSection';
import { NotesSection } from './NotesSection';
import { PortsSection } from './PortsSection';
import { PowerSection } from './PowerSection';
import { AddressesSection, GuestSection, NodeSection, SnapshotsSection } from './ProxmoxSections';
import { StatusSection } from './StatusSection';
import { MetricsSection } from '../metrics/MetricsSection';
import { ServicesSection } from '../metrics/ServicesSection';
import { UptimeSection } from '../metrics/UptimeSection';
import { WakeProxySection } from '../wake-proxy/WakeProxySection';
import { ChecksSection } from '../checks/ChecksSection';

/** What a section's `when` may look at beyond the server itself. */
export interface DetailContext {
  guestCount: number;
}

export interface DetailSection {
  id: string;
  title: string;
  Component: ComponentType<{ server: ServerView }>;
  /** Hide the section for servers it means nothing for (no notes, no guests…). */
  when?: (server: ServerView, ctx: DetailContext) => boolean;
}

/** A Proxmox guest: Proxmox reports its state, and its actions are Proxmox's. */
function isGuest(s: ServerView): boolean {
  return s.proxmox?.vmid !== undefined;
}

/**
 * The drawer's sections, top to bottom. Later capabilities (metrics charts, console, snapshots,
 * power history) add one entry here with their own component; the drawer needs no other change.
 */
export const DETAIL_SECTIONS: DetailSection[] = [
  { id: 'status', title: 'Status', Component: StatusSection },
  // What the admin came to do first: the actions, then the figures.
  { id: 'power', title: 'Power', Component: PowerSection, when: (s) => !isGuest(s) },
  { id: 'guest', title: 'Proxmox', Component: GuestSection, when: isGuest },
  { id: 'metrics', title: 'Metrics', Component: MetricsSection },
  { id: 'console', title: 'Console', Component: ConsoleSection },
  { id: 'snapshots', title: 'Snapshots', Component: SnapshotsSection, when: (s) => isGuest(s) && !s.proxmox?.template },
  { id: 'node', title: 'Proxmox', Component: NodeSection, when: (s) => s.kind === 'proxmox-node' && s.proxmox !== undefined },
  { id: 'health', title: 'Health agent', Component: AgentPanel },
  { id: 'system', title: 'System', Component: SystemInfo, when: (s) => !isGuest(s) || s.ssh !== undefined },
  { id: 'addresses', title: 'Addresses', Component: AddressesSection, when: isGuest },
  // Guests are not port-probed (Proxmox reports on them): their addresses stand in for ports.
  { id: 'ports', title: 'Ports', Component: PortsSection, when: (s) => !isGuest(s) },
  { id: 'services', title: 'Services', Component: ServicesSection },
  { id: 'checks', title: 'Checks', Component: ChecksSection },
  { id: 'uptime', title: 'Uptime and energy', Component: UptimeSection },
  { id: 'guests', title: 'Guests', Component: GuestsSection, when: (_s, ctx) => ctx.guestCount > 0 },
  { id: 'connection', title: 'Connection', Component: ConnectionSection },
  // A guest without an address cannot be forwarded to.
  { id: 'wake-proxy', title: 'Wake on demand', Component: WakeProxySection, when: (s) => s.address.trim() !== '' },
  { id: 'notes', title: 'Notes', Component: NotesSection, when: (s) => Boolean(s.notes) },
];
