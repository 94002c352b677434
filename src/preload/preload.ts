import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createClient } from '../shared/contract';
import type { Transport, WireResult } from '../shared/ipc';
import { IPC_EVENT, IPC_REQUEST } from '../shared/ipc-channels';

// The preload exposes the typed client of the contract, built from the contract itself, and
// nothing else: no ipcRenderer, no Node.
const transport: Transport = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_REQUEST, channel, input) as Promise<WireResult>,
  on(event, listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => ipcRenderer.removeListener(IPC_EVENT, handler);
  },
};

contextBridge.exposeInMainWorld('rackdeck', createClient(transport));
