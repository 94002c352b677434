/**
 * A command's requests leave beside the set-aside question (one round trip less on every
 * command), and their answers wait for its report, which the admin reads first.
 */
import { describe, expect, it } from 'vitest';
import type { Transport, WireResult } from '../../src/shared/ipc';
import { afterReport } from '../../src/main/faces/cli/main';

describe('afterReport', () => {
  it('sends a request at once and hands its answer on only after the report', async () => {
    const sent: string[] = [];
    const transport: Transport = {
      invoke: (channel) => {
        sent.push(channel);
        return Promise.resolve<WireResult>({ ok: true, value: channel });
      },
      on: () => () => undefined,
    };
    const said: string[] = [];
    let report!: () => void;
    const told = new Promise<void>((resolve) => (report = resolve));
    const { transport: linked } = afterReport(transport, told);

    const answer = linked.invoke('servers.snapshot', {}).then((r) => said.push(`answer ${r.ok ? String(r.value) : ''}`));
    expect(sent).toEqual(['servers.snapshot']);
    // Every pending callback has run: the answer is there, and still held.
    await new Promise((resolve) => setImmediate(resolve));
    expect(said).toEqual([]);
    said.push('report');
    report();
    await answer;
    expect(said).toEqual(['report', 'answer servers.snapshot']);
  });
});
