import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthView } from '../../src/shared/contract/agents';
import { FakeClock } from '../../src/main/base/clock';
import type { HealthSeams } from '../../src/main/health/hooks';
import type { HealthNotice } from '../../src/main/health/monitor';
import type { EngineSideView } from '../../src/main/health/watchdog';
import { memoryLogger } from '../../src/main/base/logger';
import { AgentsService } from '../../src/main/health/service';
import { readAgentFiles } from '../../src/main/health/io/assets';
import { jsonFileAt } from '../../src/main/health/io/atomic-json';
import { startReceiver } from '../../src/main/health/io/receiver';
import { HEALTH_FILE } from '../../src/main/health/health-store';
import { AGENTS_FILE } from '../../src/main/health/key-store';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const AGENT_SH = path.join(REPO, 'assets/agents/rackdeck-agent.sh');

export interface TestServer {
  id: string;
  name: string;
  sshUser?: string;
  view?: EngineSideView;
}

/** An AgentsService on a scratch home with a fake clock and a hand-made inventory. */
export function openService(options: { servers?: TestServer[]; hooks?: HealthSeams; watchdogIntervalMs?: number } = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rackdeck-agents-'));
  const clock = new FakeClock();
  const log = memoryLogger();
  const servers = new Map((options.servers ?? [{ id: 'vm1', name: 'vm1' }]).map((s) => [s.id, s]));
  const notices: HealthNotice[] = [];
  const emitted: HealthView[] = [];
  const hooks: HealthSeams = options.hooks ?? {};
  const service = new AgentsService({
    clock,
    log,
    version: 'test',
    hooks,
    servers: {
      ids: () => [...servers.keys()],
      find: (ref) => {
        const s = servers.get(ref) ?? [...servers.values()].find((x) => x.name === ref);
        return s ? { id: s.id, name: s.name, ...(s.sshUser ? { sshUser: s.sshUser } : {}) } : undefined;
      },
      view: (id) => servers.get(id)?.view,
    },
    notify: (n) => notices.push(n),
    emit: (v) => emitted.push(v),
    files: { agents: jsonFileAt(path.join(home, AGENTS_FILE)), health: jsonFileAt(path.join(home, HEALTH_FILE)) },
    startReceiver,
    agentFiles: () => readAgentFiles(),
    ...(options.watchdogIntervalMs !== undefined ? { watchdogIntervalMs: options.watchdogIntervalMs } : {}),
  });
  return {
    home,
    clock,
    log,
    servers,
    notices,
    emitted,
    hooks,
    service,
    /** Enables the receiver on a free loopback port and starts the service. */
    async listen(): Promise<string> {
      service.start();
      const status = await service.enableReceiver({ host: '127.0.0.1', port: 0 });
      if (!status.url) throw new Error('receiver has no URL');
      return status.url;
    },
    async cleanup() {
      await service.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: { ok?: boolean; error?: { code: string; message: string; fields?: Record<string, string> }; [k: string]: unknown };
}

/** One HTTP request with full control of headers and body (fetch adds its own). */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: HttpAnswer['json'] = {};
        try {
          json = JSON.parse(text) as HttpAnswer['json'];
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        // No Content-Length: the receiver must stop reading at its cap by itself.
        const body = Buffer.from(options.body);
        for (let i = 0; i < body.length; i += 8192) req.write(body.subarray(i, i + 8192));
      } else req.write(options.body);
    }
    req.end();
  });
}

export function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname: 'web-01',
    vmid: 101,
    node: 'pve1',
    cpuPercent: 12.5,
    memUsedBytes: 1_000_000_000,
    memTotalBytes: 4_000_000_000,
    diskUsedBytes: 10_000_000_000,
    diskTotalBytes: 50_000_000_000,
    uptimeSeconds: 3600,
    timestamp: 1_767_225_600,
    agent: 'test/1',
    ...overrides,
  };
}

export function postReport(url: string, key: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return request(`${url}/api/health/report`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Runs the Linux agent as cron or systemd would, its configuration in the environment only. */
export function runAgent(shell: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [AGENT_SH, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RACKDECK_AGENT_CONF: '/nonexistent/rackdeck-agent.conf', RACKDECK_SAMPLE_SECONDS: '0.2', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
