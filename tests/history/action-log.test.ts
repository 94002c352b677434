import { describe, expect, it } from 'vitest';
import type { ActionInput } from '../../src/shared/metrics';
import { actionsToCsv, appendAction, emptyActionLog, filterActions } from '../../src/main/store/history/action-log';
import { csvCell, toCsv } from '../../src/main/store/history/csv';

const base: ActionInput = { at: Date.UTC(2026, 0, 2, 3, 4, 5), kind: 'power', action: 'wake', serverId: 'nas', serverName: 'NAS', face: 'desktop', result: 'ok' };

describe('action log', () => {
  it('is bounded, drops the oldest, and never reuses an id', () => {
    const log = emptyActionLog();
    for (let i = 0; i < 25; i++) appendAction(log, { ...base, at: base.at + i }, 10);
    expect(log.entries).toHaveLength(10);
    expect(log.entries[0]!.id).toBe(16);
    expect(appendAction(log, base, 10).id).toBe(26);
  });

  it('filters by server, kind and time, and keeps the newest under a limit', () => {
    const log = emptyActionLog();
    appendAction(log, { ...base, at: 100 });
    appendAction(log, { ...base, at: 200, serverId: 'pve', kind: 'task', action: 'qmstart' });
    appendAction(log, { ...base, at: 300, action: 'suspend' });
    appendAction(log, { ...base, at: 400, face: 'cli', result: 'failed' });
    expect(filterActions(log.entries, { serverId: 'nas' }).map((e) => e.at)).toEqual([100, 300, 400]);
    expect(filterActions(log.entries, { kind: 'task' }).map((e) => e.serverId)).toEqual(['pve']);
    expect(filterActions(log.entries, { since: 200, until: 400 }).map((e) => e.at)).toEqual([200, 300]);
    expect(filterActions(log.entries, { serverId: 'nas', limit: 2 }).map((e) => e.at)).toEqual([300, 400]);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42.5)).toBe('42.5');
    expect(csvCell(NaN)).toBe('');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-rf')).toBe("'-rf");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes a header and CRLF rows that a CSV reader splits back exactly', () => {
    const log = emptyActionLog();
    appendAction(log, { ...base, detail: 'ssh: "systemctl suspend" failed,\nexit 1' });
    appendAction(log, { ...base, serverId: undefined, serverName: undefined, kind: 'task', action: 'vzdump', face: 'engine', result: 'started' });
    const csv = actionsToCsv(log.entries);
    expect(csv.split('\r\n')[0]).toBe('id,time,server_id,server,kind,action,face,result,detail');
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(['1', '2026-01-02T03:04:05.000Z', 'nas', 'NAS', 'power', 'wake', 'desktop', 'ok', 'ssh: "systemctl suspend" failed,\nexit 1']);
    expect(rows[2]).toEqual(['2', '2026-01-02T03:04:05.000Z', '', '', 'task', 'vzdump', 'engine', 'started', '']);
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});

/** A small RFC 4180 reader, independent of the writer, to prove the output parses back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
