/** What an alert can be about, and how bad it is: the vocabulary of rules, alerts and channels. */

export const ALERT_KINDS = ['cpu', 'memory', 'disk', 'down', 'wake_failed', 'task_failed', 'host_key', 'certificate', 'agent_stale', 'check'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** The kinds judged on a figure against a threshold; the others are events. */
export const THRESHOLD_KINDS = ['cpu', 'memory', 'disk'] as const;
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number];
export const isThresholdKind = (kind: AlertKind): kind is ThresholdKind => (THRESHOLD_KINDS as readonly string[]).includes(kind);

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  cpu: 'CPU above a threshold',
  memory: 'Memory above a threshold',
  disk: 'Disk above a threshold',
  down: 'Server went down',
  wake_failed: 'Wake failed',
  task_failed: 'Proxmox task failed',
  host_key: 'SSH host key changed',
  certificate: 'Proxmox certificate changed',
  agent_stale: 'Agent stopped reporting',
  check: 'A check failed',
};

export const ALERT_SEVERITIES = ['warning', 'error'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
