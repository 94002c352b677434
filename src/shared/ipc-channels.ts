/** The Electron IPC channels: every request travels on one, every event on another; the router names the rest. */
export const IPC_REQUEST = 'rackdeck:request';
export const IPC_EVENT = 'rackdeck:event';
/** The page's word about its own connection: subscribe, unsubscribe, cancel a call, or start afresh (a new page). */
export const IPC_CONTROL = 'rackdeck:control';

export type IpcControl = 'subscribe' | 'unsubscribe' | 'cancel' | 'reset';
