import type { TlsCredentials, TlsSource } from './hosts/services';

/**
 * One self-signed certificate shared by every HTTPS port of the lab, generated on the first
 * HTTPS connection only: most runs never touch those ports and key generation is the one
 * costly step.
 */
export function lazyTls(): TlsSource {
  let pending: Promise<TlsCredentials> | undefined;
  return () => {
    // selfsigned is loaded on first use: the CLI should not pay for it unless a lab runs.
    pending ??= import('selfsigned')
      .then(({ generate }) =>
        generate([{ name: 'commonName', value: 'rackdeck-lab' }], {
          keyType: 'ec',
          notAfterDate: new Date(Date.now() + 3650 * 86_400_000),
          algorithm: 'sha256',
        }),
      )
      .then((pems) => ({ key: pems.private, cert: pems.cert }));
    return pending;
  };
}
