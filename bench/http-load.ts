import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';

export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Drives a server on this machine with `concurrency` keep-alive connections for `seconds`,
 * cycling through the given paths, and reports throughput and latency percentiles (ms).
 * Bounded in time and count; loopback only.
 */
export async function runLoad(options: { label: string; port: number; paths: string[]; concurrency: number; seconds: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const maxRequests = 2_000_000;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.get({ host: '127.0.0.1', port: options.port, path, agent, headers: options.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && latencies.length + errors < maxRequests) await one(options.paths[next++ % options.paths.length]);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    label: options.label,
    requests: latencies.length,
    errors,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(latencies.length / seconds),
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Prints results as an aligned table. */
export function printTable(rows: LoadResult[]) {
  console.log(['label'.padEnd(44), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p90 ms'.padStart(8), 'p99 ms'.padStart(8), 'max ms'.padStart(8), 'errors'.padStart(7)].join(' '));
  for (const r of rows) {
    console.log([r.label.padEnd(44), String(r.perSecond).padStart(8), String(r.p50).padStart(8), String(r.p90).padStart(8), String(r.p99).padStart(8), String(r.max).padStart(8), String(r.errors).padStart(7)].join(' '));
  }
}

/** Whether wrk (Debian package `wrk`) is installed: a C load generator that leaves the CPU to the server. */
export function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { status?: number }).status === 1; // wrk --version exits 1 after printing
  }
}

const toMs = (value: string, unit: string) => Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit];

/** The same measurement through wrk: paths cycled by a small Lua script. */
export function runWrk(options: { label: string; port: number; paths: string[]; concurrency: number; seconds: number }): LoadResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-wrk-'));
  const script = path.join(dir, 'paths.lua');
  writeFileSync(
    script,
    `local paths = {${options.paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n`,
  );
  const out = execFileSync('wrk', ['-t2', `-c${options.concurrency}`, `-d${options.seconds}s`, '--latency', '-s', script, `http://127.0.0.1:${options.port}`], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const latency = (p: string) => {
    const m = out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
    return m ? Math.round(toMs(m[1], m[2]) * 100) / 100 : NaN;
  };
  const max = out.match(/Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)/);
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socketErrors = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    label: options.label,
    requests,
    errors: non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    seconds: options.seconds,
    perSecond: Math.round(Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0)),
    p50: latency('50'),
    p90: latency('90'),
    p99: latency('99'),
    max: max ? Math.round(toMs(max[1], max[2]) * 100) / 100 : NaN,
  };
}
