import type { ExecContext } from './types';

/**
 * The files a remote tool reads (/proc, /sys, /etc) are generated on each read from the
 * machine's state; writes that matter (/sys/power/state) act on it. Everything else a script
 * writes goes to a small scratch map so `echo x > /tmp/f && cat /tmp/f` behaves.
 */
export interface FileProvider {
  /** Exact paths → content generator. */
  files?: Readonly<Record<string, (ctx: ExecContext) => string>>;
  /** Computed paths (e.g. /sys/class/net/<if>/address); undefined when not handled. */
  read?: (path: string, ctx: ExecContext) => string | undefined;
  /** Directories → entries (undefined when the directory does not exist on this machine). */
  list?: (path: string, ctx: ExecContext) => string[] | undefined;
  /** Paths with side effects on write; returns an errno text ("Invalid argument") on failure. */
  writers?: Readonly<Record<string, (content: string, ctx: ExecContext) => string | undefined>>;
}

export interface VirtualFs {
  read(path: string, ctx: ExecContext): string | undefined;
  list(path: string, ctx: ExecContext): string[] | undefined;
  /** Error text (as after "bash: <path>: ") when the file cannot be opened for writing. */
  openForWrite(path: string, ctx: ExecContext): string | undefined;
  /** Error text (as after "write error: ") when the kernel refuses the content. */
  write(path: string, content: string, append: boolean, ctx: ExecContext): string | undefined;
}

export function resolvePath(path: string, ctx: ExecContext): string {
  let p = path;
  if (p === '~' || p.startsWith('~/')) p = ctx.home + p.slice(1);
  if (!p.startsWith('/')) p = `${ctx.home}/${p}`;
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function createFs(providers: readonly FileProvider[]): VirtualFs {
  const isScratchable = (path: string, ctx: ExecContext): boolean =>
    path.startsWith('/tmp/') || path.startsWith(`${ctx.home}/`) || (ctx.root && !/^\/(proc|sys|dev)\//.test(path));
  const writerFor = (path: string): ((content: string, ctx: ExecContext) => string | undefined) | undefined => {
    for (const provider of providers) {
      const writer = provider.writers?.[path];
      if (writer) return writer;
    }
    return undefined;
  };
  const fs: VirtualFs = {
    read(path, ctx) {
      const p = resolvePath(path, ctx);
      for (const provider of providers) {
        const generate = provider.files?.[p];
        if (generate) return generate(ctx);
        const computed = provider.read?.(p, ctx);
        if (computed !== undefined) return computed;
      }
      return ctx.machine.scratch.get(p);
    },
    list(path, ctx) {
      const p = resolvePath(path, ctx);
      for (const provider of providers) {
        const entries = provider.list?.(p, ctx);
        if (entries !== undefined) return entries;
      }
      return undefined;
    },
    openForWrite(path, ctx) {
      const p = resolvePath(path, ctx);
      if (p === '/dev/null') return undefined;
      if (writerFor(p)) return ctx.root ? undefined : 'Permission denied';
      if (fs.list(p, ctx) !== undefined) return 'Is a directory';
      return isScratchable(p, ctx) ? undefined : 'Permission denied';
    },
    write(path, content, append, ctx) {
      const p = resolvePath(path, ctx);
      if (p === '/dev/null') return undefined;
      const writer = writerFor(p);
      // The kernel sees no write at all for empty output (`true > /sys/power/state`).
      if (writer) return content === '' ? undefined : writer(content, ctx);
      ctx.machine.scratch.set(p, (append ? ctx.machine.scratch.get(p) ?? '' : '') + content);
      return undefined;
    },
  };
  return fs;
}
