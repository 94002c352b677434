import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { WireResult } from '../../../shared/ipc';
import { IPC_CONTROL, IPC_EVENT, IPC_REQUEST } from '../../../shared/ipc-channels';
import type { EventBus } from '../../base/event-bus';
import type { Logger } from '../../base/logger';
import { openConnection, type Connection } from '../../ipc/connection';
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
  events: Pick<EventBus, 'on'>;
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
 * router as the web face; the events the page subscribed to go out with webContents.send (never
 * sendSync: a busy renderer must not block main). The page's subscriptions and cancels come on a
 * second handled channel, so they pass the same sender check as its requests. Each page load
 * (the preload's `reset`) is a connection of its own: what an earlier page subscribed to or
 * opened is not sent to the next.
 */
export function bindIpc(deps: IpcBindingDeps): () => void {
  let page: { contentsId: number; connection: Connection } | undefined;
  let pages = 0;

  const open = (contentsId: number): Connection => {
    page?.connection.close();
    const connection = openConnection({
      id: `desktop:${contentsId}:${++pages}`,
      face: 'desktop',
      router: deps.router,
      events: deps.events,
      send: (name, payload) => {
        const contents = deps.contents();
        if (contents && contents.id === contentsId && !contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
      },
    });
    page = { contentsId, connection };
    return connection;
  };
  const connectionOf = (contentsId: number) => (page?.contentsId === contentsId ? page.connection : open(contentsId));

  /** The sender's id if it is our page; undefined (and a warning) otherwise. */
  const allowed = (event: IpcMainInvokeEvent): number | undefined => {
    const sender = describeSender(event);
    if (senderAllowed(sender, { contentsId: deps.contents()?.id, indexUrl: deps.indexUrl, platform: deps.platform })) return sender.contentsId;
    deps.log.warn(`refused an IPC message from ${sender.frameUrl ?? 'a frame that is gone'}`);
    return undefined;
  };

  deps.ipcMain.handle(IPC_REQUEST, async (event, channel, input, callId): Promise<WireResult> => {
    const contentsId = allowed(event);
    if (contentsId === undefined) return { ok: false, error: { code: 'unauthorized', message: 'This page may not talk to Rackdeck.' } };
    if (typeof channel !== 'string') return { ok: false, error: { code: 'bad_request', message: 'A request names its channel as a string.' } };
    return connectionOf(contentsId).request(channel, input, typeof callId === 'number' && Number.isInteger(callId) ? { callId } : {});
  });

  deps.ipcMain.handle(IPC_CONTROL, async (event, op, arg): Promise<boolean> => {
    const contentsId = allowed(event);
    if (contentsId === undefined) return false;
    if (op === 'reset') {
      open(contentsId);
      return true;
    }
    const connection = connectionOf(contentsId);
    if (op === 'subscribe' && typeof arg === 'string') return connection.subscribe(arg);
    if (op === 'unsubscribe' && typeof arg === 'string') {
      connection.unsubscribe(arg);
      return true;
    }
    if (op === 'cancel' && typeof arg === 'number') {
      connection.cancel(arg);
      return true;
    }
    return false;
  });

  return () => {
    page?.connection.close();
    page = undefined;
    deps.ipcMain.removeHandler(IPC_REQUEST);
    deps.ipcMain.removeHandler(IPC_CONTROL);
  };
}
