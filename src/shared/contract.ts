import { event, type ChannelOf, type ClientOf, type HandlersOf } from './ipc';
import { appContract } from './contract/app';
import { serversContract } from './contract/servers';
import type { ConnectionStatus, Notice, ServersPatch } from './events';

/**
 * Every request channel and every event of Rackdeck, in one place. Each capability keeps its
 * channels in its own file under contract/ and is added here with one line.
 */
export const contract = {
  app: appContract,
  servers: serversContract,
};

export const events = {
  'servers.patch': event<ServersPatch>(),
  notice: event<Notice>(),
  /** Raised by the bridge itself (never by the engine): the link to main is up, down or retrying. */
  connection: event<ConnectionStatus>(),
  /** Raised by the desktop face (never by the engine): a notification or tray entry about this server was clicked; select it. */
  'ui.select': event<{ serverId: string }>(),
};

export type Contract = typeof contract;
export type Events = typeof events;
export type Channel = ChannelOf<Contract>;
export type RackdeckClient = ClientOf<Contract, Events>;
export type Handlers<Ctx> = HandlersOf<Contract, Ctx>;
export type EventName = keyof Events & string;
