// Shared by the benchmark scripts: the machine description, the child-process-per-measurement
// runner (each measurement in a fresh process so that its peak RSS is its own), and the peak-RSS
// tracker the children use.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine the figures come from, as the JSON documents report it. */
export function machineInfo() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, memGb: Math.round(os.totalmem() / 2 ** 30) };
}

/** One argv flag's value (`--name value`), or `fallback`. */
export function flag(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

/** Peak resident memory of the current process (MB): /proc/self/status VmHWM (the kernel's high-water mark) where it exists, else the largest sampled RSS. */
export class PeakRss {
  #sampled = process.memoryUsage.rss();
  /** Records the current RSS; call it often where VmHWM is missing (non-Linux). */
  sample() {
    const rss = process.memoryUsage.rss();
    if (rss > this.#sampled) this.#sampled = rss;
  }
  mb() {
    this.sample();
    let hwm = 0;
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) hwm = Number(m[1]) * 1024;
    } catch {
      // not Linux: the samples are all there is
    }
    return Math.max(hwm, this.#sampled) / 2 ** 20;
  }
}

/** Writes one result line for the parent (children may write several; the last one wins). */
export function emit(record) {
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

const running = new Set();
let forwarding = false;

/** Ends the measurement children still running when this process is interrupted. */
function forwardSignals() {
  if (forwarding) return;
  forwarding = true;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * Runs `command args` in a child process and resolves with the JSON objects it printed, one per
 * stdout line (other lines are ignored), plus how it ended. Its stderr goes to ours. The child is
 * killed after `timeoutMs`; what it printed before that is kept, so a child that writes partial
 * results as it goes loses only the phase that did not finish.
 */
export function runChild(command, args, { timeoutMs = 0 } = {}) {
  return new Promise((resolve) => {
    forwardSignals();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    running.add(child);
    let out = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    const timer = timeoutMs > 0 ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs) : undefined;
    const finish = (code, signal, error) => {
      clearTimeout(timer);
      running.delete(child);
      const records = [];
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          records.push(JSON.parse(line));
        } catch {
          // a line cut short by a kill
        }
      }
      resolve({ records, code, signal, timedOut, error: error?.message });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** Runs a benchmark child and returns its last JSON record, throwing when it failed. */
export async function runChildJson(command, args, options) {
  const r = await runChild(command, args, options);
  const last = r.records.at(-1);
  if (r.code !== 0 || !last) throw new Error(`${command} ${args.join(' ')} failed (${r.timedOut ? 'timed out' : r.error ?? `exit ${r.code ?? r.signal}`})`);
  return last;
}
