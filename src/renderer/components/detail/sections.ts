import type { ComponentType } from 'react';
import type { ServerView } from '../../../shared/server';
import { ConnectionSection } from './ConnectionSection';
import { GuestsSection } from './GuestsSection';
import { NotesSection } from './NotesSection';
import { PortsSection } from './PortsSection';
import { StatusSection } from './StatusSection';

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

/**
 * The drawer's sections, top to bottom. Later capabilities (metrics charts, console, snapshots,
 * power history) add one entry here with their own component; the drawer needs no other change.
 */
export const DETAIL_SECTIONS: DetailSection[] = [
  { id: 'status', title: 'Status', Component: StatusSection },
  { id: 'ports', title: 'Ports', Component: PortsSection },
  { id: 'guests', title: 'Guests', Component: GuestsSection, when: (_s, ctx) => ctx.guestCount > 0 },
  { id: 'connection', title: 'Connection', Component: ConnectionSection },
  { id: 'notes', title: 'Notes', Component: NotesSection, when: (s) => Boolean(s.notes) },
];
