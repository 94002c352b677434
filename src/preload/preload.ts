import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createClient, FACE_EVENTS } from '../shared/contract';
import type { WireResult } from '../shared/ipc';
import { TopicListeners, transportOverNumbered, type NumberedTransport } from '../shared/ipc-transport';
import { IPC_CONTROL, IPC_EVENT, IPC_REQUEST, type IpcControl } from '../shared/ipc-channels';

// The preload exposes the contract and nothing else: no ipcRenderer, no Node. It exposes it
// twice: the typed client (`rackdeck`), and the numbered transport under it (`rackdeckBridge`),
// on which the renderer builds its own client. contextBridge copies objects, so an AbortSignal
// made in the page would arrive here as `{}`; a client in the page's own world keeps its
// signals (and its RackdeckErrors) intact and cancels by number.

const control = (op: IpcControl, arg?: string | number) => {
  ipcRenderer.invoke(IPC_CONTROL, op, arg).catch(() => undefined);
};

const listeners = new TopicListeners({ subscribe: (topic) => control('subscribe', topic), unsubscribe: (topic) => control('unsubscribe', topic) }, FACE_EVENTS);
ipcRenderer.on(IPC_EVENT, (_e: IpcRendererEvent, name: string, payload: unknown) => listeners.emit(name, payload));
// A new page: main forgets what the previous one subscribed to and cancels what it still waited for.
control('reset');

let lastCallId = 0;
const bridge: NumberedTransport = {
  newCallId: () => ++lastCallId,
  invoke: (channel, input, callId) => ipcRenderer.invoke(IPC_REQUEST, channel, input, callId) as Promise<WireResult>,
  cancel: (callId) => control('cancel', callId),
  on: (event, listener) => listeners.on(event, listener),
};

contextBridge.exposeInMainWorld('rackdeckBridge', bridge);
contextBridge.exposeInMainWorld('rackdeck', createClient(transportOverNumbered(bridge)));
