/**
 * System benchmarks on the running system (Temporal dev server, worker and API processes,
 * PostgreSQL), each against a baseline measured side by side on the same servers:
 *   launch — sets/s through POST /launches until every set's workflow runs and its first event is
 *            stored, vs N empty workflows started with the same client concurrency;
 *   step   — one lifecycle step over HTTP (update accepted, event stored; then the read model shows
 *            it): p50/p99, vs a bare Workflow Update round trip;
 *   reads  — GET /credential-sets/:id requests/s at fixed concurrency (autocannon), vs a bare Node
 *            HTTP server answering the same JSON from memory;
 *   scale  — worker RSS with N sets holding pending timers, and how late expiry timers fire among them.
 * Usage: node -r @swc-node/register bench/system.bench.ts [--smoke] [--only launch,step,reads,scale]
 *        (SWC_NODE_PROJECT=tsconfig.base.json; BENCH_LAUNCH_N, BENCH_SCALE_N override N)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDataSource, migrate } from '@certflow/event-store';
import {
  apiClient,
  expert,
  freePort,
  rehearsalPolicy,
  retry,
  startSystem,
  startTempPostgres,
  type System,
} from '@certflow/testing';
import type { DataSource } from 'typeorm';
import { done, echo, echoWorkflow, emptyWorkflow } from './workflows';

const smoke = process.argv.includes('--smoke');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const cfg = smoke
  ? { launchN: 200, launchReps: 1, stepSamples: 20, readSeconds: 2, readReps: 1, scaleN: 300, timers: 10 }
  : {
      launchN: num('BENCH_LAUNCH_N', 10_000),
      launchReps: 3,
      stepSamples: 300,
      readSeconds: 10,
      readReps: 3,
      scaleN: num('BENCH_SCALE_N', 100_000),
      timers: 50,
    };
const START_CONCURRENCY = 32;
const BENCH_QUEUE = 'bench-baseline';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const spread = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}..${Math.max(...xs).toFixed(digits)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const results: string[] = [];
const report = (line: string) => {
  results.push(line);
  process.stdout.write(`${line}\n`);
};

async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface Ctx {
  readonly system: System;
  readonly db: DataSource;
  readonly api: ReturnType<typeof apiClient>;
}

/** Launches `n` experts' sets through the product's bulk path; resolves when the launch completed. */
async function launch(ctx: Ctx, id: string, n: number): Promise<number> {
  const items = Array.from({ length: n }, (_, i) => ({
    party: expert(`${id}-${i}`),
    setId: `${id}-${i}`,
    kind: 'NEW',
  }));
  const t = performance.now();
  const r = await ctx.api.http('POST', '/launches', { launchId: id, items });
  if (r.status !== 202) throw new Error(`launch ${id}: ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  await retry(
    async () => {
      const s = await ctx.api.ok('GET', `/launches/${id}`);
      if (s['status'] !== 'COMPLETED') throw new Error(String(s['status']));
      if (s['launched'] !== n)
        throw new Error(`launched ${s['launched']} of ${n}: ${JSON.stringify(s['refusedItems'])}`);
    },
    3_600_000,
    100,
  );
  return performance.now() - t;
}

async function benchLaunch(ctx: Ctx): Promise<void> {
  const ours: number[] = [];
  const base: number[] = [];
  await launch(ctx, 'warm', Math.min(200, cfg.launchN)); // warm-up
  for (let rep = 0; rep < cfg.launchReps; rep++) {
    const n = cfg.launchN;
    const oursMs = await launch(ctx, `launch${rep}`, n);
    const ids = Array.from({ length: n }, (_, i) => `empty-${rep}-${i}`);
    const t = performance.now();
    await pool(ids, START_CONCURRENCY, async (workflowId) => {
      await ctx.system.temporal.workflow.start(emptyWorkflow, { workflowId, taskQueue: BENCH_QUEUE });
    });
    const baseMs = performance.now() - t;
    ours.push(n / (oursMs / 1000));
    base.push(n / (baseMs / 1000));
  }
  report(
    `launch (N=${cfg.launchN}, ${cfg.launchReps} reps): ours ${median(ours).toFixed(0)} sets/s (${spread(ours)}; ` +
      `1 workflow + 3 events per set), empty workflows ${median(base).toFixed(0)}/s (${spread(base)}), ` +
      `ratio ${(median(ours) / median(base)).toFixed(2)} (goal >= 0.8)`,
  );
}

async function benchStep(ctx: Ctx): Promise<void> {
  const samples = cfg.stepSamples;
  await launch(ctx, 'step', samples + 10);
  const stored: number[] = [];
  const visible: number[] = [];
  for (let i = 0; i < samples + 10; i++) {
    const setId = `step-${i}`;
    const t = performance.now();
    const r = await ctx.api.ok('POST', `/credential-sets/${setId}/filing`, { decision: 'ACCEPT' });
    const t1 = performance.now();
    const version = (r['state'] as { version: number }).version;
    for (;;) {
      const rows = (await ctx.api.ok('GET', `/credential-sets?partyId=step-${i}`)) as unknown as { version: number }[];
      if (rows[0] && rows[0].version >= version) break;
      await sleep(5);
    }
    const t2 = performance.now();
    if (i >= 10) {
      stored.push(t1 - t);
      visible.push(t2 - t);
    }
  }
  const handle = await ctx.system.temporal.workflow.start(echoWorkflow, {
    workflowId: `echo-${Date.now()}`,
    taskQueue: BENCH_QUEUE,
  });
  const bare: number[] = [];
  for (let i = 0; i < samples + 10; i++) {
    const t = performance.now();
    await handle.executeUpdate(echo, { args: [i] });
    if (i >= 10) bare.push(performance.now() - t);
  }
  await handle.signal(done);
  const ms = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms`;
  report(
    `step over HTTP (${samples} sequential): accepted+stored ${ms(stored)}; +read model visible ${ms(visible)}; ` +
      `bare Update ${ms(bare)}; p99 ratio stored ${(pct(stored, 0.99) / pct(bare, 0.99)).toFixed(2)}x, ` +
      `visible ${(pct(visible, 0.99) / pct(bare, 0.99)).toFixed(2)}x (goal <= 1.5x)`,
  );
}

async function cannon(url: string, seconds: number): Promise<number> {
  const r = await autocannon({ url, connections: 16, duration: seconds, pipelining: 1 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.average;
}

async function benchReads(ctx: Ctx): Promise<void> {
  await launch(ctx, 'read', 1);
  const path1 = '/credential-sets/read-0';
  const body = await (await fetch(`${ctx.system.api}${path1}`)).text();
  const port = await freePort();
  // The baseline: a bare Node HTTP server in its own process, answering the same JSON from memory.
  const bare = spawn(
    process.execPath,
    [
      '-e',
      `const body = process.env.BODY; require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); s.end(body); }).listen(${port}, '127.0.0.1', () => console.log('up'));`,
    ],
    { env: { ...process.env, BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((r) => bare.stdout.once('data', r));
  try {
    await cannon(`${ctx.system.api}${path1}`, 1);
    await cannon(`http://127.0.0.1:${port}/`, 1);
    const ours: number[] = [];
    const base: number[] = [];
    const floor: number[] = [];
    for (let rep = 0; rep < cfg.readReps; rep++) {
      ours.push(await cannon(`${ctx.system.api}${path1}`, cfg.readSeconds));
      base.push(await cannon(`http://127.0.0.1:${port}/`, cfg.readSeconds));
      // Where the cost goes: the API's own floor, a route that touches neither PostgreSQL nor Temporal.
      floor.push(await cannon(`${ctx.system.api}/health`, cfg.readSeconds));
    }
    report(
      `API reads (GET a set's state, 16 connections, ${cfg.readReps}x${cfg.readSeconds}s): ours ${median(ours).toFixed(0)} req/s ` +
        `(${spread(ours)}), bare HTTP ${median(base).toFixed(0)} req/s (${spread(base)}), ` +
        `ratio ${(median(ours) / median(base)).toFixed(2)} (goal >= 0.5); the API's floor (GET /health) ` +
        `${median(floor).toFixed(0)} req/s (${spread(floor)}), ratio ${(median(floor) / median(base)).toFixed(2)}`,
    );
  } finally {
    bare.kill('SIGINT');
  }
}

function rssMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function benchScale(ctx: Ctx): Promise<void> {
  const n = cfg.scaleN;
  const idle = rssMiB(ctx.system.workerPid()!);
  const t = performance.now();
  await launch(ctx, 'scale', n);
  const launchS = (performance.now() - t) / 1000;
  const pid = ctx.system.workerPid()!;
  await sleep(5000);
  const afterLaunch = rssMiB(pid);
  // Expiry timers among the N pending cut-over timers: issue some sets that expire in 30 s.
  const timers = Array.from({ length: cfg.timers }, (_, i) => `scale-${i}`);
  const expiresAt = Date.now() + 30_000;
  await pool(timers, 8, async (setId) => {
    await ctx.api.ok('POST', `/credential-sets/${setId}/filing`, { decision: 'ACCEPT' });
    const validity = {
      validFrom: new Date(Date.now() - 1000).toISOString(),
      validUntil: new Date(expiresAt).toISOString(),
    };
    await ctx.api.ok('POST', `/credential-sets/${setId}/issue`, {
      ca: { serial: `CA-${setId}`, issuer: 'JSCA', ...validity },
      seal: { serial: `SEAL-${setId}`, issuer: 'Founder', ...validity },
    });
  });
  const lateness = await retry(
    async () => {
      const rows = await ctx.db.query<{ late: number }[]>(
        `SELECT stream_id, extract(epoch FROM recorded_at) * 1000 - $1::float8 AS late FROM events
          WHERE event_type = 'CredentialSetExpired' AND stream_id = ANY($2)`,
        [expiresAt, timers.map((s) => `credential-set-${s}`)],
      );
      if (rows.length < timers.length) throw new Error(`${rows.length} of ${timers.length} expired`);
      return rows.map((r) => Number(r.late));
    },
    600_000,
    500,
  );
  const end = rssMiB(pid);
  report(
    `scale (${n} sets, each a running workflow with a pending timer, launched in ${launchS.toFixed(0)} s): worker RSS ` +
      `${idle.rss.toFixed(0)} MiB before, ${afterLaunch.rss.toFixed(0)} MiB after launch, ${end.rss.toFixed(0)} MiB at end, peak ${end.peak.toFixed(0)} MiB ` +
      `(goal < 1024); ${timers.length} expiry timers fired ${(pct(lateness, 0.5) / 1000).toFixed(2)} s late at p50, ` +
      `${(Math.max(...lateness) / 1000).toFixed(2)} s at worst (goal: within seconds)`,
  );
}

async function main(): Promise<void> {
  const external = process.env['DATABASE_URL'];
  const pg = external ? null : await startTempPostgres({ port: await freePort() });
  const url = external ?? pg!.url;
  await migrate(url);
  const db = await createDataSource(url).initialize();
  // Applications open today; the cut-over is weeks ahead, so every set holds a pending timer.
  const policy = rehearsalPolicy(3);
  const system = await startSystem({
    databaseUrl: url,
    policy,
    env: { WORKER_LAUNCH_START_CONCURRENCY: String(START_CONCURRENCY), TEMPORAL_SEARCH_ATTRIBUTES: 'on' },
  });
  const connection = await NativeConnection.connect({ address: system.temporalAddress });
  const baseline = await Worker.create({
    connection,
    taskQueue: BENCH_QUEUE,
    workflowsPath: require.resolve('./workflows'),
  });
  const running = baseline.run();
  const ctx: Ctx = { system, db, api: apiClient(() => system.api, ['bench', 'FINANCE_STAFF']) };
  try {
    const benches = { launch: benchLaunch, step: benchStep, reads: benchReads, scale: benchScale };
    for (const [name, run] of Object.entries(benches)) if (!only || only.includes(name)) await run(ctx);
  } finally {
    baseline.shutdown();
    await running;
    await connection.close();
    await system.stop();
    await db.destroy();
    await pg?.stop();
  }
  process.stdout.write(`\n${smoke ? '[smoke] ' : ''}${results.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
