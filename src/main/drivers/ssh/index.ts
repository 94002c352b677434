export { SshPool, type SshPoolOptions } from './pool';
export { SshError, HostKeyMismatchError, classifySshError, type HostKeyMismatch, type SshErrorKind } from './errors';
export { fingerprintOf, keyTypeOf } from './fingerprint';
export type { ExecOptions, ExecResult, SshAuth, SshExec, SshTarget } from './target';
export { runSshPower, type PowerRunResult, type PowerAttempt, type SshPowerOptions } from './power';
export { powerCommandPlan, hibernateSupported, withSudo } from './power-commands';
export { fillTemplate, localArgv, runLocal, splitWords, validatedPlaceholders, type PlaceholderValues } from './custom-command';
export { gatherSystemFacts, enableWolCommand, isInterfaceName, type RawSystemFacts } from './facts';
export { sshTargetFor, type SecretSource } from './server-target';
