/**
 * One CLI process of the race tests: `node --import tsx add-worker.ts HOME PREFIX COUNT OCTET`
 * runs `rackdeck add PREFIX-i --address 127.0.OCTET.i --home HOME` COUNT times, each a whole
 * CLI command as the bin runs it (find the engine's socket, or take the home's lock for the
 * command, then add), in this one process instead of COUNT processes (see race.test.ts).
 *
 * An add that failed because the engine went away mid-answer is retried; if it had landed
 * before the engine died, the retry finds the name taken, which counts as done. Prints one
 * line per add (`ok i via`), then `done`; any other failure ends the worker with `fail …`.
 */
import { runCli } from '../../src/main/faces/cli/main';

const [home, prefix, countText, octet] = process.argv.slice(2);
const count = Number(countText);
if (!home || !prefix || !octet || !Number.isInteger(count)) throw new Error('usage: add-worker.ts HOME PREFIX COUNT OCTET');

const RETRYABLE = /stopped before it answered|busy with another command|does not answer/;

for (let i = 1; i <= count; i++) {
  const name = `${prefix}-${i}`;
  for (let attempt = 1; ; attempt++) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['add', name, '--address', `127.0.${octet}.${i}`, '--home', home], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    const said = err.join(' ');
    for (const line of err) if (line.includes('took over the lock')) console.log(`takeover ${line}`);
    if (code === 0) {
      console.log(`ok ${i} ${attempt}`);
      break;
    }
    if (attempt > 1 && /already exists/.test(said)) {
      console.log(`ok ${i} ${attempt} (had landed)`);
      break;
    }
    if (!RETRYABLE.test(said) || attempt >= 20) {
      console.log(`fail ${name}: ${said}`);
      process.exit(1);
    }
    console.log(`retry ${name}: ${said.split('\n')[0]}`);
  }
}
console.log('done');
