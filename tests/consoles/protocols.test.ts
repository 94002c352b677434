/**
 * The wire protocols, without a network: termproxy framing, DES for VNC authentication (the
 * FIPS test vector, and noVNC's own implementation as a second opinion), and the RFB gate that
 * keeps the ticket in main.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RfbGate } from '../../src/main/consoles/proxmox/rfb-gate';
import { inputFrame, KEEPALIVE_FRAME, LoginReader, loginFrame, resizeFrame } from '../../src/main/consoles/proxmox/termproxy-protocol';
import { desEncryptBlock, vncAuthResponse } from '../../src/main/consoles/proxmox/vnc-auth';

describe('termproxy frames', () => {
  it('encodes login, input (byte length, not characters), resize and keep-alive', () => {
    expect(loginFrame('root@pam', 'PVEVNC:ABC::sig').toString()).toBe('root@pam:PVEVNC:ABC::sig\n');
    expect(inputFrame(Buffer.from('é\r')).toString()).toBe('0:3:é\r');
    expect(resizeFrame(120, 40).toString()).toBe('1:120:40:');
    expect(KEEPALIVE_FRAME.toString()).toBe('2');
  });

  it('reads the login answer across chunks and keeps what follows OK', () => {
    const r = new LoginReader();
    expect(r.push(Buffer.from('O'))).toEqual({ state: 'wait' });
    const ok = r.push(Buffer.from('Kroot@pve1:~# '));
    expect(ok.state).toBe('ok');
    expect(ok.state === 'ok' && ok.rest.toString()).toBe('root@pve1:~# ');
    expect(new LoginReader().push(Buffer.from('NO'))).toEqual({ state: 'refused' });
  });
});

describe('VNC authentication', () => {
  it('is standard DES (FIPS 46-3 test vector)', () => {
    expect(desEncryptBlock(Buffer.from('133457799BBCDFF1', 'hex'), Buffer.from('0123456789ABCDEF', 'hex')).toString('hex')).toBe('85e813540f0ab405');
  });

  it('answers a challenge exactly as noVNC does', async () => {
    const file = path.resolve('node_modules/@novnc/novnc/core/crypto/des.js');
    const mod = (await import(pathToFileURL(file).href)) as { DESECBCipher: { importKey(key: number[]): { encrypt(alg: null, data: number[]): Uint8Array } } };
    for (const password of ['PVEVNC:64A1B2C3::abcdefgh', 'x', 'secret12345']) {
      const challenge = Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 37 + password.length) & 0xff));
      const key = [...Buffer.from(password.padEnd(8, '\0').slice(0, 8), 'latin1')];
      const theirs = Buffer.from(mod.DESECBCipher.importKey(key).encrypt(null, [...challenge]));
      expect(vncAuthResponse(password, challenge).toString('hex')).toBe(theirs.toString('hex'));
    }
  });
});

/** Drives a gate; collects what it sends each way. */
function gateWith(password: string | undefined) {
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  const failures: string[] = [];
  const gate = new RfbGate({ toServer: (d) => toServer.push(d), toClient: (d) => toClient.push(d), fail: (r) => failures.push(r) }, password);
  const take = (list: Buffer[]) => Buffer.concat(list.splice(0));
  return { gate, failures, server: () => take(toServer), client: () => take(toClient) };
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe('RFB gate', () => {
  it('answers VNC authentication with the ticket and offers the window None only', () => {
    const g = gateWith('PVEVNC:ticket');
    g.gate.fromServer(Buffer.from('RFB 003.008\n'));
    expect(g.server().toString()).toBe('RFB 003.008\n');
    g.gate.fromServer(Buffer.from([1, 2]));
    expect([...g.server()]).toEqual([2]);
    const challenge = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
    g.gate.fromServer(challenge);
    expect(g.server().toString('hex')).toBe(vncAuthResponse('PVEVNC:ticket', challenge).toString('hex'));
    expect(g.client().length).toBe(0);
    // Security result OK, and ServerInit already in the same packet: it must wait for the window.
    g.gate.fromServer(Buffer.concat([u32(0), Buffer.from('SERVERINIT')]));
    expect(g.client().toString()).toBe('RFB 003.008\n');
    g.gate.fromClient(Buffer.from('RFB 003.008\n'));
    expect([...g.client()]).toEqual([1, 1]);
    g.gate.fromClient(Buffer.from([1, 1 /* ClientInit shared */]));
    expect(g.client().toString('latin1')).toBe('\0\0\0\0SERVERINIT');
    expect([...g.server()]).toEqual([1]);
    expect(g.gate.open).toBe(true);
    g.gate.fromServer(Buffer.from('update'));
    g.gate.fromClient(Buffer.from('key'));
    expect(g.client().toString()).toBe('update');
    expect(g.server().toString()).toBe('key');
    expect(g.failures).toEqual([]);
    // Nothing the window received holds the ticket.
  });

  it('takes None when the server offers it, byte by byte', () => {
    const g = gateWith(undefined);
    for (const b of Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([2, 1, 2]), u32(0)])) g.gate.fromServer(Buffer.from([b]));
    expect([...g.server().subarray(12)]).toEqual([1]);
    expect(g.client().toString()).toBe('RFB 003.008\n');
  });

  it('passes on why the server refused', () => {
    const g = gateWith('t');
    g.gate.fromServer(Buffer.from('RFB 003.008\n'));
    g.gate.fromServer(Buffer.from([1, 2]));
    g.gate.fromServer(Buffer.alloc(16));
    const reason = Buffer.from('authentication failed');
    g.gate.fromServer(Buffer.concat([u32(1), u32(reason.length), reason]));
    expect(g.failures).toEqual(['the VNC server refused the connection: authentication failed']);
    expect(g.client().length).toBe(0);
  });

  it('refuses old protocol versions and security it cannot answer', () => {
    const old = gateWith('t');
    old.gate.fromServer(Buffer.from('RFB 003.003\n'));
    expect(old.failures[0]).toMatch(/3\.8 is needed/);
    const noPassword = gateWith(undefined);
    noPassword.gate.fromServer(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2])]));
    expect(noPassword.failures[0]).toMatch(/no security type/);
    const refused = gateWith('t');
    refused.gate.fromServer(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([0]), u32(4), Buffer.from('busy')]));
    expect(refused.failures[0]).toMatch(/busy/);
  });

  it('refuses a viewer that picks a type it was not offered', () => {
    const g = gateWith(undefined);
    g.gate.fromServer(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1]), u32(0)]));
    g.gate.fromClient(Buffer.from('RFB 003.008\n'));
    g.gate.fromClient(Buffer.from([2]));
    expect(g.failures[0]).toMatch(/not offered/);
  });
});
