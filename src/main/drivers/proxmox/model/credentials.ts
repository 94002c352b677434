/**
 * Pure: the credentials of a cluster and the checks on what the admin types (a user id, a
 * token id, a token spec), before anything is sent.
 */

export type ProxmoxCredentials =
  | { kind: 'token'; tokenId: string; secret: string }
  | { kind: 'ticket'; username: string; password: string };

/** user@realm: the realm part is required (pam, pve, an LDAP realm…). */
const USERID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9._-]*$/;
const TOKEN_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function isUserId(v: string): boolean {
  return USERID.test(v);
}

/** "user@realm!tokenid" — the full token id as pveum prints it. */
export function isTokenId(v: string): boolean {
  const bang = v.lastIndexOf('!');
  return bang > 0 && USERID.test(v.slice(0, bang)) && TOKEN_NAME.test(v.slice(bang + 1));
}

/**
 * "USER@REALM!TOKENID=SECRET" → { tokenId, secret }. Split on the LAST "=": the secret is a
 * UUID and never holds one, whereas a user name in some realms may.
 */
export function parseTokenSpec(spec: string): { tokenId: string; secret: string } {
  const at = spec.lastIndexOf('=');
  if (at <= 0 || at === spec.length - 1) throw new Error('a token is USER@REALM!TOKENID=SECRET');
  const tokenId = spec.slice(0, at).trim();
  const secret = spec.slice(at + 1).trim();
  if (!isTokenId(tokenId)) throw new Error(`"${tokenId}" is not a token id (USER@REALM!TOKENID)`);
  if (!/^[A-Za-z0-9-]{8,}$/.test(secret)) throw new Error('the token secret is the UUID pveum printed when the token was created');
  return { tokenId, secret };
}
