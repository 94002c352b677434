import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers';

const PS1 = path.join(REPO, 'assets/agents/rackdeck-agent.ps1');
const pwsh = ['pwsh', 'powershell'].find((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);

describe('the Windows agent script', () => {
  // No PowerShell on this build machine: the parser check runs wherever pwsh is installed.
  it.skipIf(!pwsh)(`parses without errors in PowerShell (${pwsh ?? 'skipped: pwsh is not installed here'})`, () => {
    const script = `$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('${PS1}', [ref]$null, [ref]$e); if ($e.Count) { $e | ForEach-Object { $_.ToString() }; exit 1 }`;
    const r = spawnSync(pwsh as string, ['-NoProfile', '-NonInteractive', '-Command', script]);
    expect(r.status, r.stdout.toString() + r.stderr.toString()).toBe(0);
  });

  it('has the install and uninstall functions, a 30 s schedule and no key on a command line', () => {
    const text = fs.readFileSync(PS1, 'utf8');
    expect(text).toMatch(/function Install-RackdeckAgent\b/);
    expect(text).toMatch(/function Uninstall-RackdeckAgent\b/);
    expect(text).toMatch(/Invoke-RestMethod -Method Post/);
    expect(text).toMatch(/Get-CimInstance/);
    expect(text).toMatch(/\/api\/health\/report/);
    // Two one-minute triggers 30 s apart: Task Scheduler cannot repeat faster than a minute.
    expect(text).toMatch(/AddSeconds\(30\)/);
    // The task's arguments name the script only; the key lives in the ACL-protected config.
    const action = /New-ScheduledTaskAction[\s\S]*?-Argument \(([^\n]*)\)/.exec(text)?.[1] ?? '';
    expect(action).not.toMatch(/Key/i);
    expect(text).toMatch(/icacls\.exe .*\/inheritance:r/);
  });

  it('has balanced braces, brackets and parentheses outside strings and comments', () => {
    const text = fs
      .readFileSync(PS1, 'utf8')
      .replace(/<#[\s\S]*?#>/g, '')
      .replace(/'(?:[^']|'')*'/g, "''")
      .replace(/"(?:[^"`]|`.)*"/g, '""')
      .replace(/#.*$/gm, '');
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    const stack: string[] = [];
    for (const ch of text) {
      if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
      else if (ch in pairs) expect(stack.pop()).toBe(pairs[ch]);
    }
    expect(stack).toEqual([]);
  });
});
