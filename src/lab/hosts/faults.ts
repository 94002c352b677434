/**
 * Misbehaviour a test can switch on for one host, to see how Rackdeck copes with the ways
 * real machines fail: half-dead network stacks, slow boxes, changed credentials, a reinstalled
 * OS with a new host key, a flaky link.
 */
export interface HostFaults {
  /** Accept TCP connections on every port, then destroy them at once. */
  dropConnections: boolean;
  /** Delay in ms before the SSH banner and before each command's output. */
  slowMs: number;
  /** Reject every SSH authentication attempt, whatever the credentials. */
  refuseAuth: boolean;
  /** Present a different (but stable) host key, as after a reinstall. */
  changedHostKey: boolean;
  /** Toggle between on and suspended every N ms; 0 stops flapping and brings the host back up. */
  flapIntervalMs: number;
  /** systemctl / shutdown need root (sudo), as polkit's defaults demand for remote sessions. */
  requireSudo: boolean;
}

export const NO_FAULTS: Readonly<HostFaults> = Object.freeze({
  dropConnections: false,
  slowMs: 0,
  refuseAuth: false,
  changedHostKey: false,
  flapIntervalMs: 0,
  requireSudo: false,
});
