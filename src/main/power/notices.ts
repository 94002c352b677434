import type { Notice } from '../../shared/events';
import type { PowerAction } from '../../shared/server';
import type { Outcome, Transition } from './machine';

const VERB: Record<PowerAction, string> = { wake: 'wake', suspend: 'suspend', hibernate: 'hibernate', shutdown: 'shut down', reboot: 'reboot' };

const TIMEOUT_HINT: Record<PowerAction, string> = {
  wake: 'Check that Wake-on-LAN is enabled in the firmware and the OS (ethtool … wol g), the MAC address, and that the packet reaches its subnet.',
  suspend: 'Check the SSH user may suspend (sudo), and that nothing inhibits sleep (systemd-inhibit --list).',
  hibernate: 'Check that a swap large enough for hibernation is set up and resume= is configured.',
  shutdown: 'Something may be holding the shutdown; look at the console.',
  reboot: 'Look at the console; the host may be stuck in firmware or fsck.',
};

/** The notice for a transition that ended badly; a success is told by core/notices.ts from the state change. */
export function transitionNotice(input: {
  serverId: string;
  serverName: string;
  transition: Transition;
  outcome: Outcome;
  detail?: string;
  hint?: string;
  at: number;
}): Omit<Notice, 'id'> | null {
  const { transition: t, outcome } = input;
  if (outcome === 'reached') return null;
  const verb = VERB[t.action];
  if (outcome === 'timeout') {
    return {
      at: input.at,
      serverId: input.serverId,
      level: 'warning',
      title: `${input.serverName} did not ${verb} in time`,
      body: `${capitalise(input.detail ?? 'it did not reach the target state')}. ${TIMEOUT_HINT[t.action]}`,
    };
  }
  return {
    at: input.at,
    serverId: input.serverId,
    level: 'error',
    title: `Could not ${verb} ${input.serverName}`,
    body: [input.detail, input.hint].filter(Boolean).join(' ') || 'The command failed.',
  };
}

export const TIMEOUT_HINTS = TIMEOUT_HINT;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
