/** An SSH endpoint as OpenSSH writes it in known_hosts, `[host]:port`: the key of a pinned host key. */
export function endpointOf(host: string, port: number): string {
  return `[${host}]:${port}`;
}
