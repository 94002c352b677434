export * from './model';
export { SshPool, type SshPoolOptions } from './pool';
export { fingerprintOf, keyTypeOf } from './fingerprint';
export { runLocal } from './custom-command';
export { sshTargetFor, type SecretSource } from './server-target';
export { loginConfig } from './login-config';
export { scanHostKey } from './scan';
