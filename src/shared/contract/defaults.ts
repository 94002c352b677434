import type { Channel, EventName } from '../contract';

/*
 * The defaults every client of the contract shares, kept apart from the schemas (no zod here):
 * the CLI builds its client from these alone when a running engine does the parsing.
 */

/** Events a face raises itself, never main: listening to them subscribes to nothing in main. */
export const FACE_EVENTS: ReadonlySet<string> = new Set<EventName>(['connection', 'ui.select']);

/** How long a request may go unanswered before the client gives up: generous, since a lost answer is rare. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Requests whose work outlasts the default: they talk to a host over SSH or to Proxmox and
 * wait for it (init discovers the OS and NICs, an install copies and starts the agent).
 */
export const REQUEST_TIMEOUTS: Readonly<Partial<Record<Channel, number>>> = {
  'power.init': 5 * 60_000,
  // A /16 of mostly silent addresses takes minutes (issue 17).
  'scan.run': 15 * 60_000,
  'power.useInterface': 2 * 60_000,
  'agents.install': 5 * 60_000,
  'agents.uninstall': 5 * 60_000,
  'consoles.open': 2 * 60_000,
  'consoles.exec': 2 * 60_000,
  'proxmox.addCluster': 2 * 60_000,
  'proxmox.setupToken': 2 * 60_000,
  'proxmox.discover': 2 * 60_000,
  'alerts.testChannel': 2 * 60_000,
  'channels.test': 2 * 60_000,
  // The engine ends these itself: a transition at its deadline, a followed task at its timeout.
  'power.wait': 0,
  'proxmox.waitTask': 0,
  'servers.sweep': 2 * 60_000,
};

