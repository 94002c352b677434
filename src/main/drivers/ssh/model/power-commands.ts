import type { PowerAction } from '../../../../shared/server';

/**
 * The commands tried, in order, for each SSH power action. Each is a fixed string: nothing the
 * admin typed is ever part of one. With `useSudo`, each runs under `sudo -n`, which fails at
 * once instead of waiting for a password nobody will type.
 */
type SshPowerAction = Exclude<PowerAction, 'wake'>;

const PLANS: Record<SshPowerAction, readonly string[]> = {
  suspend: [
    'systemctl suspend',
    'pm-suspend',
    'echo mem > /sys/power/state',
    // The path EcoBox and the issue name; kept as a last resort for systems that expose it.
    'echo mem > /proc/sys/power/state',
  ],
  hibernate: ['systemctl hibernate', 'echo disk > /sys/power/state'],
  shutdown: ['systemctl poweroff', 'shutdown -h now', 'poweroff'],
  reboot: ['systemctl reboot', 'shutdown -r now', 'reboot'],
};

export function withSudo(command: string): string {
  // A redirection must happen inside the privileged shell, not in the caller's.
  return /[>|;&]/.test(command) ? `sudo -n sh -c '${command}'` : `sudo -n ${command}`;
}

export function powerCommandPlan(action: SshPowerAction, useSudo: boolean): string[] {
  return PLANS[action].map((c) => (useSudo ? withSudo(c) : c));
}

/** What `/sys/power/disk` says about hibernation: it lists modes, and `[disabled]` when the kernel forbids it. */
export function hibernateSupported(sysPowerDisk: string | undefined, sysPowerState?: string): boolean {
  if (!sysPowerDisk) return false;
  const text = sysPowerDisk.trim();
  if (text === '' || /\[disabled\]/.test(text)) return false;
  if (sysPowerState !== undefined && !/\bdisk\b/.test(sysPowerState)) return false;
  return /\b(platform|shutdown|reboot|suspend|test_resume)\b/.test(text);
}
