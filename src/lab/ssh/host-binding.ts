import type { HostFaults } from '../hosts/faults';
import type { HostSpec } from '../hosts/spec';
import type { Ed25519KeyPair } from '../keys/openssh-ed25519';
import type { MachineView, PowerRequest } from '../shell/types';
import type { AuthPolicy } from './auth';

/** What the SSH server needs from the host it serves; keeps ssh/ independent of the host class. */
export interface SshHostBinding {
  readonly spec: HostSpec;
  readonly machine: MachineView;
  hostKey(): Ed25519KeyPair;
  faults(): Readonly<HostFaults>;
  authPolicy(): AuthPolicy;
  /** Carry out a power change asked for by a command, after its reply went out. */
  requestPower(request: PowerRequest): void;
  /** Writes a utmp record (for `who`) for a session with a terminal; call the returned function when it ends. */
  loginStarted(user: string, from: string): () => void;
  /** Counts a logged-in session (for `uptime`); call the returned function when it ends. */
  sessionStarted(): () => void;
  /** setTimeout that the host cancels when it stops. */
  delay(ms: number): Promise<void>;
}
