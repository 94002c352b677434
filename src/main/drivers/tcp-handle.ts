import { getSystemErrorName } from 'node:util';

/**
 * A bare TCP connect on libuv's handle, without the stream a `net.Socket` builds around it.
 *
 * A status probe only asks whether a connect is answered, then closes. Through `net.Socket`
 * each probe pays for a Duplex stream (its readable and writable states), its destroy machinery
 * and, for a refusal, an Error with a stack trace: about 200 µs of CPU, where the connect itself
 * costs the kernel a few tens. The engine makes thousands of these a minute (the watch of silent
 * hosts, the status sweep, the service checks), so that wrapper was most of its idle CPU
 * (docs/PERFORMANCE.md, detect.cpu). The handle is the one `net` itself connects with
 * (`process.binding('tcp_wrap')`, a documented but deprecated door). Where it is missing or not
 * shaped as expected (another runtime, a later Node), `handleConnector()` says so and the caller
 * keeps to `net.connect`.
 */

interface ConnectRequest {
  oncomplete: ((status: number) => void) | null;
}

interface TcpHandle {
  connect(req: ConnectRequest, address: string, port: number): number;
  connect6(req: ConnectRequest, address: string, port: number): number;
  close(): void;
}

interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectRequest;
  constants: { SOCKET: number };
}

/** How a bare connect ended: answered (connected, or refused with a RST), or an error's code. */
export type ConnectOutcome = { connected: true } | { connected: false; code: string };

/** Starts a connect; `done` is called once, unless `cancel()` comes first (then never). */
export type HandleConnect = (family: 4 | 6, address: string, port: number, done: (outcome: ConnectOutcome) => void) => () => void;

const isBinding = (b: unknown): b is TcpWrapBinding => {
  if (typeof b !== 'object' || b === null) return false;
  const r = b as Partial<Record<keyof TcpWrapBinding, unknown>>;
  const constants = r.constants as { SOCKET?: unknown } | undefined;
  return typeof r.TCP === 'function' && typeof r.TCPConnectWrap === 'function' && typeof constants?.SOCKET === 'number' && typeof (r.TCP as { prototype?: { connect?: unknown } }).prototype?.connect === 'function';
};

function loadBinding(): TcpWrapBinding | undefined {
  try {
    const binding = (process as unknown as { binding?: (name: string) => unknown }).binding?.('tcp_wrap');
    return isBinding(binding) ? binding : undefined;
  } catch {
    return undefined;
  }
}

let cached: HandleConnect | null | undefined;

/** The bare connect, or undefined where this runtime does not offer the handle (use `net`). */
export function handleConnector(): HandleConnect | undefined {
  if (cached !== undefined) return cached ?? undefined;
  const binding = loadBinding();
  cached = binding ? connectWith(binding) : null;
  return cached ?? undefined;
}

function connectWith({ TCP, TCPConnectWrap, constants }: TcpWrapBinding): HandleConnect {
  return (family, address, port, done) => {
    const handle = new TCP(constants.SOCKET);
    const req = new TCPConnectWrap();
    let open = true;
    const cancel = () => {
      if (!open) return;
      open = false;
      req.oncomplete = null;
      handle.close();
    };
    req.oncomplete = (status) => {
      cancel();
      done(status === 0 ? { connected: true } : { connected: false, code: errorName(status) });
    };
    const err = family === 6 ? handle.connect6(req, address, port) : handle.connect(req, address, port);
    if (err !== 0) {
      cancel();
      // Asynchronously, as every other outcome (the caller's timer is set by then), and not after a cancel.
      let cancelled = false;
      queueMicrotask(() => cancelled || done({ connected: false, code: errorName(err) }));
      return () => void (cancelled = true);
    }
    return cancel;
  };
}

function errorName(status: number): string {
  try {
    return getSystemErrorName(status);
  } catch {
    return `E${-status}`;
  }
}
