/** One login as utmp records it, and as `who` prints it. */
export interface LoginRecord {
  user: string;
  /** pts/0, pts/1…: the lowest terminal number free when the session began. */
  tty: string;
  /** ms since epoch. */
  at: number;
  /** The client's address. */
  from: string;
}

/**
 * The host's utmp: sshd writes a record for each session that gets a terminal (an interactive
 * login, `ssh -t host cmd`) and removes it when the session ends. A plain `ssh host cmd` (how
 * Rackdeck runs its commands) gets none, so `who` lists people, not monitoring.
 */
export class LoginTable {
  private readonly records: LoginRecord[] = [];

  constructor(private readonly now: () => number) {}

  /** Adds a record; call the returned function when the session ends. */
  begin(user: string, from: string): () => void {
    const used = new Set(this.records.map((r) => r.tty));
    let n = 0;
    while (used.has(`pts/${n}`)) n++;
    const record: LoginRecord = { user, tty: `pts/${n}`, at: this.now(), from };
    this.records.push(record);
    return () => {
      const i = this.records.indexOf(record);
      if (i >= 0) this.records.splice(i, 1);
    };
  }

  list(): readonly LoginRecord[] {
    return [...this.records];
  }

  /** Every session ends (the host went down). */
  clear(): void {
    this.records.length = 0;
  }
}
