import * as z from 'zod';
import { request } from '../ipc';
import { portSchema } from '../server';
import { httpUrlSchema } from './http-url';
import { lazySchema } from './lazy';

/**
 * Alert channels (issue 18): a list of named channels, each of one kind, with its settings here
 * and its one secret (a password, a token, or a URL that carries one) sealed apart in the
 * monitoring's secrets.json. Views carry only whether the secret is set.
 */
export const CHANNEL_KINDS = ['email', 'webhook', 'ntfy', 'gotify', 'discord', 'slack', 'telegram', 'matrix', 'pushover', 'homeassistant'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  email: 'E-mail (SMTP)',
  webhook: 'Webhook',
  ntfy: 'ntfy',
  gotify: 'Gotify',
  discord: 'Discord',
  slack: 'Slack',
  telegram: 'Telegram',
  matrix: 'Matrix',
  pushover: 'Pushover',
  homeassistant: 'Home Assistant notify',
};

/** What the kind's one secret is, for the forms and the CLI's prompt. */
export const CHANNEL_SECRET_LABELS: Record<ChannelKind, string> = {
  email: 'SMTP password',
  webhook: 'webhook URL',
  ntfy: 'access token (optional)',
  gotify: 'application token',
  discord: 'webhook URL',
  slack: 'incoming-webhook URL',
  telegram: 'bot token',
  matrix: 'access token',
  pushover: 'application API token',
  homeassistant: 'long-lived access token',
};

/** Kinds that work without a secret (e-mail without a login, a public ntfy topic). */
export const SECRET_OPTIONAL: ReadonlySet<ChannelKind> = new Set(['email', 'ntfy']);

export const channelIdSchema = lazySchema(() => z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a channel id is 1–40 lowercase letters, digits or dashes'));

const httpUrl = httpUrlSchema;

/** A secret URL (webhook, Discord, Slack): checked when it is stored. */
export const secretUrlSchema = lazySchema(() => httpUrl('https://hooks.example.org/…'));

const emailAddress = lazySchema(() => z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'an e-mail address like admin@example.org'));

export const channelSettingsSchemas = {
  email: lazySchema(() => z
    .object({
      host: z.string().trim().min(1, 'the SMTP server is required').max(253),
      port: portSchema.default(587),
      /** starttls: upgrade on 587; tls: implicit TLS on 465; none: plain (a relay on the LAN). */
      security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
      user: z.string().trim().max(200).optional(),
      from: emailAddress,
      to: z.array(emailAddress).min(1, 'at least one recipient').max(20, 'at most 20 recipients'),
    })
    .strict()),
  webhook: lazySchema(() => z
    .object({
      /** json: Rackdeck's own body; ntfy: ntfy's JSON publish (topic from the URL); template: the admin's own body. */
      format: z.enum(['json', 'ntfy', 'template']).default('json'),
      method: z.enum(['POST', 'PUT']).default('POST'),
      /** With `template`: `{{title}}`, `{{message}}`, `{{severity}}`, `{{event}}`, `{{server}}`, `{{kind}}`, `{{time}}`. */
      template: z.string().max(4000).optional(),
      contentType: z.string().trim().max(100).default('application/json'),
    })
    .strict()),
  ntfy: lazySchema(() => z.object({ server: httpUrl('https://ntfy.sh').default('https://ntfy.sh'), topic: z.string().trim().regex(/^[-_A-Za-z0-9]{1,64}$/, 'a topic is 1–64 letters, digits, - or _') }).strict()),
  gotify: lazySchema(() => z.object({ server: httpUrl('https://gotify.example.org') }).strict()),
  discord: lazySchema(() => z.object({ username: z.string().trim().max(80).default('Rackdeck') }).strict()),
  slack: lazySchema(() => z.object({}).strict()),
  telegram: lazySchema(() => z.object({ server: httpUrl('https://api.telegram.org').default('https://api.telegram.org'), chatId: z.string().trim().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'a chat id (a number) or @channelname') }).strict()),
  matrix: lazySchema(() => z.object({ server: httpUrl('https://matrix.example.org'), room: z.string().trim().regex(/^[!#][^\s:]+:[^\s]+$/, 'a room id like !abc:example.org or an alias like #ops:example.org') }).strict()),
  pushover: lazySchema(() => z.object({ server: httpUrl('https://api.pushover.net').default('https://api.pushover.net'), user: z.string().trim().regex(/^[A-Za-z0-9]{1,40}$/, 'a Pushover user or group key') }).strict()),
  homeassistant: lazySchema(() => z.object({ server: httpUrl('http://homeassistant.local:8123'), service: z.string().trim().regex(/^[a-z0-9_]{1,80}$/, 'a notify service like mobile_app_phone').default('notify') }).strict()),
} as const;

const channelBase = {
  id: lazySchema(() => channelIdSchema),
  name: lazySchema(() => z.string().trim().min(1, 'a channel needs a name').max(80, 'a name is at most 80 characters')),
  enabled: lazySchema(() => z.boolean().default(true)),
  /** 0: send each alert at once; N: gather them into one message every N minutes. */
  digestMinutes: lazySchema(() => z.number().int().min(0, 'cannot be negative').max(1440, 'at most a day').default(0)),
};

export const channelSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.object({ ...channelBase, kind: z.literal('email'), settings: channelSettingsSchemas.email }).strict(),
  z.object({ ...channelBase, kind: z.literal('webhook'), settings: channelSettingsSchemas.webhook.prefault({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal('ntfy'), settings: channelSettingsSchemas.ntfy }).strict(),
  z.object({ ...channelBase, kind: z.literal('gotify'), settings: channelSettingsSchemas.gotify }).strict(),
  z.object({ ...channelBase, kind: z.literal('discord'), settings: channelSettingsSchemas.discord.prefault({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal('slack'), settings: channelSettingsSchemas.slack.prefault({}) }).strict(),
  z.object({ ...channelBase, kind: z.literal('telegram'), settings: channelSettingsSchemas.telegram }).strict(),
  z.object({ ...channelBase, kind: z.literal('matrix'), settings: channelSettingsSchemas.matrix }).strict(),
  z.object({ ...channelBase, kind: z.literal('pushover'), settings: channelSettingsSchemas.pushover }).strict(),
  z.object({ ...channelBase, kind: z.literal('homeassistant'), settings: channelSettingsSchemas.homeassistant }).strict(),
]));
export type Channel = z.output<typeof channelSchema>;
export type ChannelInput = z.input<typeof channelSchema>;
export type ChannelOfKind<K extends ChannelKind> = Extract<Channel, { kind: K }>;

export const channelListSchema = lazySchema(() => z
  .array(channelSchema)
  .max(50, 'at most 50 channels')
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the id "${c.id}" is used twice` });
      seen.add(c.id);
    });
  }));

export type ChannelView = Channel & {
  /** The secret is stored (it is never shown back). */
  secretSet: boolean;
  /** Scheme and host of a secret URL (the rest may be the secret). */
  secretHint?: string;
  /** One of the two channels kept from before channels were a list (settings.monitoring.alerts.email / .webhook). */
  legacy?: boolean;
};

export interface ChannelTestReport {
  ok: boolean;
  detail: string;
}

/**
 * Adding or changing a channel: either the channel itself, or an Apprise-style URL
 * (`tgram://token/chat`, `gotify://host/token`…) parsed into one. `secret`: a string sets it,
 * null removes it, absent keeps it.
 */
export const channelSaveSchema = lazySchema(() => z
  .object({
    channel: channelSchema.optional(),
    url: z.string().trim().min(1).max(2000).optional(),
    id: channelIdSchema.optional(),
    name: z.string().trim().min(1).max(80).optional(),
    secret: z.string().max(4000).nullable().optional(),
  })
  .strict()
  .refine((s) => (s.channel === undefined) !== (s.url === undefined), 'give either a channel or an Apprise URL'));
export type ChannelSave = z.input<typeof channelSaveSchema>;

const channelId = lazySchema(() => z.object({ id: channelIdSchema }).strict());

export const channelsContract = {
  list: request<ChannelView[]>()(() => z.object({}).strict()),
  /** Adds a channel, or replaces the one with the same id (its secret kept unless given). */
  save: request<ChannelView>()(() => channelSaveSchema),
  remove: request<{ removed: boolean }>()(() => channelId),
  /** Sends a test message now, whether or not the channel is on. */
  test: request<ChannelTestReport>()(() => channelId),
};
