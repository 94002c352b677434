// What a command needs when no engine answers on its home's socket: the home's lock, and the
// engine it then builds for itself (root/stepped.ts, the core alone until a request needs more). One module for all of them: each
// dynamic import is an entry of the bundle, and every entry splits the code its importers share
// into more chunks (files Node resolves, reads and links one by one).
export { acquireHomeLock, describeOwner, HomeBusyError } from '../../store/home-lock';
export { silentLogger } from '../../base/logger';
export { localTransport } from '../../ipc/local-transport';
export { createSteppedApp } from '../../root/stepped';
