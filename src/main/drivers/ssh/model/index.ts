/** The pure parts of SSH power control (errors, targets, command plans, placeholders, facts gathering over a given exec): no socket here. */
export { SshError, HostKeyMismatchError, classifySshError, type HostKeyMismatch, type SshErrorKind } from './errors';
export { endpointOf } from './endpoint';
export type { ExecOptions, ExecResult, SshAuth, SshExec, SshTarget } from './target';
export { runSshPower, type PowerRunResult, type PowerAttempt, type SshPowerOptions } from './power';
export { powerCommandPlan, hibernateSupported, withSudo } from './power-commands';
export { fillTemplate, localArgv, splitWords, validatedPlaceholders, type LocalResult, type LocalRunner, type PlaceholderValues } from './custom-command';
export { gatherSystemFacts, enableWolCommand, isInterfaceName, type RawSystemFacts } from './facts';
export { keyTypeLabel, sshHostName, type OfferedHostKey } from './host-key';
