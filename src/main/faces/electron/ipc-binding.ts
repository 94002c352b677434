import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { WireResult } from '../../../shared/ipc';
import { IPC_EVENT, IPC_REQUEST } from '../../../shared/ipc-channels';
import type { EventBus } from '../../base/event-bus';
import type { Logger } from '../../base/logger';
import type { Router } from '../../ipc/router';
import { senderAllowed, type SenderInfo } from './sender';

/** The part of ipcMain used here; a fake in tests. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export type ContentsLike = Pick<WebContents, 'id' | 'send' | 'isDestroyed'>;

export interface IpcBindingDeps {
  ipcMain: IpcMainLike;
  router: Router;
  events: Pick<EventBus, 'onAny'>;
  /** Our window's contents, if it exists: the only caller allowed and the receiver of events. */
  contents(): ContentsLike | undefined;
  indexUrl: string;
  platform: NodeJS.Platform;
  log: Logger;
}

export function describeSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): SenderInfo {
  const frame = event.senderFrame;
  return { contentsId: event.sender.id, frameUrl: frame?.url, isMainFrame: frame ? frame.parent === null : false };
}

/**
 * The desktop transport: requests arrive on one ipcMain.handle channel and go through the same
 * router as the web face; every engine event goes out with webContents.send (never sendSync: a
 * busy renderer must not block main).
 */
export function bindIpc(deps: IpcBindingDeps): () => void {
  deps.ipcMain.handle(IPC_REQUEST, async (event, channel, input): Promise<WireResult> => {
    const sender = describeSender(event);
    if (!senderAllowed(sender, { contentsId: deps.contents()?.id, indexUrl: deps.indexUrl, platform: deps.platform })) {
      deps.log.warn(`refused an IPC request from ${sender.frameUrl ?? 'a frame that is gone'}`);
      return { ok: false, error: { code: 'unauthorized', message: 'This page may not talk to Rackdeck.' } };
    }
    if (typeof channel !== 'string') return { ok: false, error: { code: 'bad_request', message: 'A request names its channel as a string.' } };
    return deps.router.handle(channel, input, { face: 'desktop' });
  });
  const off = deps.events.onAny((name, payload) => {
    const contents = deps.contents();
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
  });
  return () => {
    off();
    deps.ipcMain.removeHandler(IPC_REQUEST);
  };
}
