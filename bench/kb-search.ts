// npm run bench:kb — search latency and throughput through HTTP, for the seed KB and a generated
// 20,000-entry KB, next to a no-op route (GET /api/v1/health) measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasWrk, printTable, runLoad, runWrk, type LoadResult } from './http-load';
import { syntheticBundle } from './synthetic-kb';

const root = path.resolve(import.meta.dirname, '..');
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ADMIN_PASSWORD = 'bench-admin-password';

function questions() {
  const dir = path.join(root, 'server/seed/robot-dev');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).q as string));
}

async function startServer(port: number, seed: boolean): Promise<{ child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ADMIN_PASSWORD, SEED_DEMO: String(seed), DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) return { child, dataDir };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill();
  throw new Error('server did not start');
}

/**
 * Imports the generated KB as an operator would: the import runs as a background job and its
 * versions wait for review, so a second user (a reviewer) approves the import as a whole.
 */
async function loadSynthetic(port: number, size: number) {
  const base = `http://127.0.0.1:${port}`;
  const json = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
  const login = async (username: string, password: string) =>
    ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json(), body: JSON.stringify({ username, password }) })).json()) as { token: string }).token;
  const admin = await login('admin', ADMIN_PASSWORD);
  const reviewerPassword = 'bench-reviewer-pass-2026';
  await fetch(`${base}/api/v1/users`, { method: 'POST', headers: json(admin), body: JSON.stringify({ username: 'bench-reviewer', displayName: 'bench reviewer', password: reviewerPassword, roles: ['reviewer'] }) });
  const reviewer = await login('bench-reviewer', reviewerPassword);
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/kb/import?format=json&mode=publish`, { method: 'POST', headers: json(admin), body: JSON.stringify(syntheticBundle(size)) });
  if (res.status !== 202) throw new Error(`import failed: ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const job = (await (await fetch(`${base}/api/v1/kb/import/jobs/${jobId}`, { headers: json(admin) })).json()) as { status: string; error?: unknown };
    if (job.status === 'done') break;
    if (job.status === 'failed') throw new Error(`import failed: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const approved = await fetch(`${base}/api/v1/kb/import/jobs/${jobId}/approve`, { method: 'POST', headers: json(reviewer), body: '{}' });
  if (!approved.ok) throw new Error(`approval failed: ${await approved.text()}`);
  console.log(`imported and approved ${size} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const useWrk = hasWrk();

async function measure(label: string, port: number, hot: string[], distinct: string[]): Promise<LoadResult[]> {
  const load = async (o: Parameters<typeof runLoad>[0]) => (useWrk ? runWrk(o) : runLoad(o));
  await load({ label: 'warm-up', port, paths: hot, concurrency: 20, seconds: 2 }); // JIT, caches
  const baseline = await load({ label: `${label}: GET /health (no-op baseline)`, port, paths: ['/api/v1/health'], concurrency: CONCURRENCY, seconds: SECONDS });
  const repeated = await load({ label: `${label}: search, hot questions (cached)`, port, paths: hot, concurrency: CONCURRENCY, seconds: SECONDS });
  const fresh = await load({ label: `${label}: search, every query new`, port, paths: distinct, concurrency: CONCURRENCY, seconds: SECONDS });
  return [baseline, repeated, fresh];
}

async function main() {
  const qs = questions();
  const searchPaths = qs.map((q) => `/api/v1/kb/search?q=${encodeURIComponent(q)}&limit=10`);
  // The same questions made unique by a trailing number, so no result comes from the cache.
  const distinctPaths = Array.from({ length: 60_000 }, (_, i) => `/api/v1/kb/search?q=${encodeURIComponent(`${qs[i % qs.length]} ${i}`)}&limit=10`);
  console.log(`bench:kb — ${CONCURRENCY} concurrent keep-alive connections, ${SECONDS} s per run, ${searchPaths.length} distinct citizen questions, ${os.cpus().length} cores, load from ${useWrk ? 'wrk' : 'a Node.js client in this process (install Debian wrk for truer figures)'}`);
  const rows: LoadResult[] = [];
  for (const [label, size] of [['seed KB (223)', 0], ['generated KB (20,000)', 20_000]] as const) {
    const port = 3900 + rows.length;
    const server = await startServer(port, size === 0);
    try {
      if (size) await loadSynthetic(port, size);
      rows.push(...(await measure(label, port, searchPaths, distinctPaths)));
    } finally {
      server.child.kill();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  }
  console.log();
  printTable(rows);
  for (let i = 0; i < rows.length; i += 3) {
    const base = rows[i];
    for (const search of rows.slice(i + 1, i + 3)) {
      console.log(`${search.label}: throughput ${(search.perSecond / base.perSecond).toFixed(2)}× the no-op route; p99 ${search.p99} ms (target < 20 ms at ${CONCURRENCY} concurrent) ${search.p99 < 20 ? 'MET' : 'NOT MET'}`);
    }
  }
  console.log('Little\'s law: at this concurrency a p99 under 20 ms needs roughly 10,000 requests/s; the no-op route shows what the HTTP stack itself reaches here.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
