/** The two Electron IPC channels: every request travels on one, every event on the other; the router names the rest. */
export const IPC_REQUEST = 'rackdeck:request';
export const IPC_EVENT = 'rackdeck:event';
