import * as z from 'zod';

/**
 * An http(s) URL, as every form that takes one (a webhook, a channel's server, an HTTP check)
 * judges it; `example` goes into the message the admin reads. (For http: and https:, the URL
 * parser refuses a URL without a host, so none passes.)
 */
export const httpUrlSchema = (example: string) =>
  z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        const url = new URL(u);
        return url.protocol === 'https:' || url.protocol === 'http:';
      } catch {
        return false;
      }
    }, `a URL like ${example}`);
