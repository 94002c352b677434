import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labCommandOptions, parseLabArgs, runLabCommand, type LabCliIo } from '../../src/lab/cli';
import type { LabDescription } from '../../src/lab/description';
import { tcpProbe } from '../../src/lab/testing/tcp';

// `rackdeck lab`: strict arguments, one JSON line when ready, clean stop. 127.0.73.x is this file's.
function fakeIo(onReady?: (line: string) => Promise<void>): LabCliIo & { out_: string[]; err_: string[]; code: number } {
  const io = {
    out_: [] as string[], err_: [] as string[], code: 0,
    out: (line: string) => io.out_.push(line),
    err: (line: string) => io.err_.push(line),
    setExitCode: (code: number) => {
      io.code = code;
    },
    untilStopped: async () => {
      await onReady?.(io.out_[0] ?? '');
    },
  };
  return io;
}

describe('parseLabArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(parseLabArgs(['--hosts', '12', '--seed=7', '--single-address', '--base-port', '30000', '--state-dir', '/tmp/x', '--wol-port=0'])).toEqual({
      hosts: 12, seed: 7, singleAddress: true, basePort: 30000, stateDir: '/tmp/x', wolPort: 0,
    });
    expect(parseLabArgs(['--help'])).toBe('help');
  });

  it('reads the Proxmox VE release with --pve, beside --guests', () => {
    expect(parseLabArgs(['--pve', '8'])).toEqual({ proxmox: { version: 8 } });
    expect(parseLabArgs(['--guests=20', '--pve=9'])).toEqual({ proxmox: { guests: 20, version: 9 } });
    expect(parseLabArgs(['--pve', '8', '--guests', '0'])).toEqual({ proxmox: false });
    expect(() => parseLabArgs(['--pve', '7'])).toThrow("--pve must be 9 or 8, got '7'");
  });

  it('starts the cluster in its real-world shape unless there is none', () => {
    expect(labCommandOptions({ hosts: 3 })).toEqual({ hosts: 3, proxmox: { realWorld: true } });
    expect(labCommandOptions({ proxmox: { version: 8 } })).toEqual({ proxmox: { realWorld: true, version: 8 } });
    expect(labCommandOptions({ proxmox: false })).toEqual({ proxmox: false });
  });

  it.each([
    [['--hosts', 'ten'], /--hosts expects a whole number, got 'ten'/],
    [['--hosts', '-1'], /--hosts expects a whole number/],
    [['--hosts'], /--hosts needs a value/],
    [['--base-port', '80'], /--base-port must be between 1024 and 65535/],
    [['--verbose'], /unknown argument '--verbose'/],
    [['--single-address=yes'], /takes no value/],
    [['--first-address', '10.0.0.1'], /127\.0\.0\.0\/8/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseLabArgs(argv)).toThrow(message);
  });
});

describe('runLabCommand', () => {
  it('exits 2 with a clear message on bad arguments, starting nothing', async () => {
    const io = fakeIo();
    await runLabCommand(['--hosts', '3', '--bogus'], io);
    expect(io.code).toBe(2);
    expect(io.err_[0]).toBe("rackdeck lab: unknown argument '--bogus'");
    expect(io.err_[1]).toMatch(/^usage: rackdeck lab/);
    expect(io.out_).toEqual([]);
  });

  it('prints one JSON description once ready, serves until stopped, then closes everything', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'rackdeck-lab-cli-'));
    let described: LabDescription | undefined;
    const io = fakeIo(async (line) => {
      described = JSON.parse(line) as LabDescription;
      const first = described.hosts[0];
      expect(await tcpProbe(first?.address ?? '', first?.ssh.port ?? 0)).toBe('open');
    });
    await runLabCommand(['--hosts', '4', '--seed', '5', '--first-address', '127.0.73.1', '--wol-port', '0', '--state-dir', stateDir], io);
    expect(io.code).toBe(0);
    expect(io.out_).toHaveLength(1);
    expect(described?.hosts).toHaveLength(4);
    expect(described?.hosts[0]).toMatchObject({ role: 'proxmox', os: 'proxmox', ssh: { user: 'root', port: 2222 } });
    expect(described?.proxmox?.version).toMatch(/^9\.1\./);
    expect(described?.stateDir).toBe(stateDir);
    expect(described?.wol.address).toBe('127.0.0.1');
    expect(await tcpProbe('127.0.73.1', 2222)).toBe('refused');
    rmSync(stateDir, { recursive: true, force: true });
  });
});
