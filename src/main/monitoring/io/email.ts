import type { EmailChannel } from '../../../shared/contract/monitoring';
import { emailOf, type OutgoingAlert } from '../channels/message';

/**
 * E-mail over SMTP with nodemailer: STARTTLS on 587, implicit TLS on 465, or plain for a relay
 * on the LAN. Certificates are verified; timeouts are short, so a dead mail server costs an
 * alert a few seconds, not a hung loop.
 */
export interface EmailOptions {
  timeoutMs?: number;
}

export async function sendEmail(channel: EmailChannel, password: string | undefined, alert: OutgoingAlert, options: EmailOptions = {}): Promise<string> {
  if (!channel.host) throw new Error('no SMTP server is set');
  if (!channel.from || channel.to.length === 0) throw new Error('a sender and at least one recipient are needed');
  if (channel.user && !password) throw new Error(`no SMTP password is stored for ${channel.user}`);
  const timeout = options.timeoutMs ?? 15_000;
  // nodemailer is loaded when a mail is first sent, not at every start of the CLI or the web face.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    ...(channel.user ? { auth: { user: channel.user, pass: password } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  // A pooled or failing transport may emit 'error' besides rejecting sendMail: heard here, so it
  // fails this mail (through the rejection) and never the process.
  transport.on('error', () => undefined);
  try {
    const { subject, text } = emailOf(alert);
    const info = await transport.sendMail({ from: channel.from, to: channel.to, subject, text });
    return `accepted by ${channel.host}:${channel.port} for ${info.accepted.length} recipient(s)`;
  } finally {
    transport.close();
  }
}
