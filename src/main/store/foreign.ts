/**
 * Refuses a file another user owns: a home is one user's, and so are its lock and socket. A
 * module of its own so that the CLI, checking the control socket before it talks to a running
 * engine, does not load the lock's code (and node:crypto with it).
 */
export function refuseForeign(st: { uid: number } | undefined, file: string, what: string): void {
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: no uids; the home's ACL is the boundary.
  if (st && st.uid !== uid) throw new Error(`${what} ${file} belongs to another user (uid ${st.uid}); Rackdeck will not share a home between users.`);
}
