/**
 * Event-store benchmarks, each against a baseline measured side by side on the same server:
 *   appends  — events/s through PostgresEventStore.append (validation, idempotency record, per-stream
 *              chain, head update) vs raw batched INSERT of the same rows into a plain table;
 *   replay   — events folded/s (stateAsOf over one long stream, domain evolve) vs a raw sequential
 *              scan of the same rows.
 * Usage: node -r @swc-node/register bench/event-store.bench.ts [--smoke]   (SWC_NODE_PROJECT=tsconfig.base.json)
 * Ratios are the result; absolute rates on a shared 2-core machine are noise.
 */
import {
  campaignStateAsOf,
  createDataSource,
  migrate,
  PostgresEventStore,
  Projector,
  stateAsOf,
  type NewEvent,
} from '@certflow/event-store';
import { startTempPostgres } from '@certflow/testing';
import { Client } from 'pg';

const smoke = process.argv.includes('--smoke');
const cfg = smoke
  ? { streams: 40, perStream: 5, concurrency: 8, replayEvents: 2_000, campaignEvents: 20_000, batch: 20, reps: 2 }
  : {
      streams: 2_000,
      perStream: 10,
      concurrency: 16,
      replayEvents: 100_000,
      campaignEvents: Number(process.env['BENCH_CAMPAIGN_EVENTS'] ?? 1_000_000),
      batch: 50,
      reps: 5,
    };

// Blocked and restored in turn: real events, and the folded state stays small as it does in practice.
const event = (i: number): NewEvent => ({
  type: i % 2 === 0 ? 'PlatformAccessBlocked' : 'PlatformAccessRestored',
  data: { platform: 'SUCAIYUN' },
  at: new Date(Date.UTC(2023, 9, 12) + i * 1000).toISOString(),
  actor: { id: 'system', role: 'SYSTEM' },
});

async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < items.length) await work(items[next++]!, worker);
    }),
  );
}

/** The baseline's write: one multi-row INSERT of stored rows, as they are. */
async function insertRows(c: Client, table: string, cols: string[], rows: Record<string, unknown>[]): Promise<void> {
  const values = rows.flatMap((r) => cols.map((col) => r[col]));
  const placeholders = rows.map((_, i) => `(${cols.map((_, j) => `$${i * cols.length + j + 1}`).join(',')})`).join(',');
  await c.query(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${placeholders}`, values);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}`;

async function main(): Promise<void> {
  const external = process.env['DATABASE_URL'];
  const pg = external
    ? null
    : await startTempPostgres({
        port: 30000 + Math.floor(Math.random() * 5000),
        database: 'bench',
      });
  const url = external ?? pg!.url;
  await migrate(url);
  const db = await createDataSource(url, { poolSize: cfg.concurrency + 2 }).initialize();
  const store = new PostgresEventStore(db, { pageSize: 1000 });
  const raw = new Client({ connectionString: url });
  await raw.connect();
  await raw.query(`CREATE TABLE IF NOT EXISTS raw_events (LIKE events INCLUDING DEFAULTS)`);
  await raw.query(`ALTER TABLE raw_events ALTER COLUMN position DROP IDENTITY IF EXISTS`);
  // Not the baseline, an explanation: the same INSERT into a table with the log's eight indexes.
  await raw.query(`CREATE TABLE IF NOT EXISTS raw_indexed (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await raw.query(`ALTER TABLE raw_indexed ALTER COLUMN position DROP IDENTITY IF EXISTS`);

  const results: string[] = [];
  // ---- appends ----
  const ours: number[] = [];
  const base: number[] = [];
  for (let rep = 0; rep < cfg.reps + 1; rep++) {
    const streams = Array.from({ length: cfg.streams }, (_, i) => `credential-set-b${rep}-${i}`);
    let t = performance.now();
    await pool(streams, cfg.concurrency, async (s) => {
      await store.append(
        s,
        Array.from({ length: cfg.perStream }, (_, i) => event(i)),
        { expectedVersion: 0, idempotencyKey: `${s}:1` },
      );
    });
    const oursRate = (cfg.streams * cfg.perStream) / ((performance.now() - t) / 1000);
    // Baseline: the same rows (as stored), one batched INSERT per stream, same concurrency.
    const rows = (await raw.query(`SELECT * FROM events WHERE stream_id LIKE $1`, [`credential-set-b${rep}-%`]))
      .rows as Record<string, unknown>[];
    const byStream = new Map<string, Record<string, unknown>[]>();
    for (const r of rows)
      byStream.set(r['stream_id'] as string, [...(byStream.get(r['stream_id'] as string) ?? []), r]);
    const clients = await Promise.all(
      Array.from({ length: cfg.concurrency }, async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    const cols = Object.keys(rows[0]!);
    t = performance.now();
    await pool([...byStream.values()], cfg.concurrency, async (batch, worker) => {
      const c = clients[worker]!;
      await insertRows(c, 'raw_events', cols, batch);
    });
    const baseRate = rows.length / ((performance.now() - t) / 1000);
    await Promise.all(clients.map((c) => c.end()));
    if (rep > 0) {
      ours.push(oursRate);
      base.push(baseRate);
    } // rep 0 warms up
  }
  results.push(
    `appends: ours ${median(ours).toFixed(0)} ev/s (${spread(ours)}), raw INSERT ${median(base).toFixed(0)} ev/s (${spread(base)}), ratio ${(median(ours) / median(base)).toFixed(2)} (goal >= 0.7)`,
  );

  // ---- batched appends (the launch's path): many streams per transaction, then projected ----
  const oursB: number[] = [];
  const baseB: number[] = [];
  const appendOnly: number[] = [];
  const indexed: number[] = [];
  const projector = new Projector(db, store);
  await projector.catchUp();
  const batchConcurrency = 4;
  for (let rep = 0; rep < cfg.reps + 1; rep++) {
    const streams = Array.from({ length: cfg.streams }, (_, i) => `credential-set-m${rep}-${i}`);
    const batches: string[][] = [];
    for (let i = 0; i < streams.length; i += cfg.batch) batches.push(streams.slice(i, i + cfg.batch));
    let t = performance.now();
    await pool(batches, batchConcurrency, async (batch) => {
      const outcomes = await store.appendBatch(
        batch.map((s) => ({
          streamId: s,
          events: Array.from({ length: cfg.perStream }, (_, i) => event(i)),
          expectedVersion: 0,
          idempotencyKey: `${s}:1`,
        })),
      );
      if (outcomes.some((o) => o instanceof Error)) throw new Error('batched append refused');
    });
    const appendedMs = performance.now() - t;
    await projector.catchUp();
    const oursRate = (cfg.streams * cfg.perStream) / ((performance.now() - t) / 1000);
    if (rep > 0) appendOnly.push((cfg.streams * cfg.perStream) / (appendedMs / 1000));
    const rows = (
      await raw.query(`SELECT * FROM events WHERE stream_id LIKE $1 ORDER BY position`, [`credential-set-m${rep}-%`])
    ).rows as Record<string, unknown>[];
    const cols = Object.keys(rows[0]!);
    const rowBatches: Record<string, unknown>[][] = [];
    const perBatch = cfg.batch * cfg.perStream;
    for (let i = 0; i < rows.length; i += perBatch) rowBatches.push(rows.slice(i, i + perBatch));
    const clients = await Promise.all(
      Array.from({ length: batchConcurrency }, async () => {
        const c = new Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    const insertAll = async (table: string) => {
      let lane = 0;
      const t0 = performance.now();
      await pool(rowBatches, batchConcurrency, async (batch) => {
        const c = clients[lane++ % clients.length]!;
        await insertRows(c, table, cols, batch);
      });
      return rows.length / ((performance.now() - t0) / 1000);
    };
    if (rep > 0) indexed.push(await insertAll('raw_indexed'));
    let lane = 0;
    t = performance.now();
    await pool(rowBatches, batchConcurrency, async (batch) => {
      const c = clients[lane++ % clients.length]!;
      await insertRows(c, 'raw_events', cols, batch);
    });
    const baseRate = rows.length / ((performance.now() - t) / 1000);
    await Promise.all(clients.map((c) => c.end()));
    if (rep > 0) {
      oursB.push(oursRate);
      baseB.push(baseRate);
    }
  }
  results.push(
    `batched appends (${cfg.batch} streams x ${cfg.perStream} events per transaction, ${batchConcurrency} at once, projection included): ours ${median(oursB).toFixed(0)} ev/s (${spread(oursB)}), raw batched INSERT ${median(baseB).toFixed(0)} ev/s (${spread(baseB)}), ratio ${(median(oursB) / median(baseB)).toFixed(2)} (goal >= 0.7); without the projection ${median(appendOnly).toFixed(0)} ev/s, ratio ${(median(appendOnly) / median(baseB)).toFixed(2)}; the same rows into a table with the log's indexes ${median(indexed).toFixed(0)} ev/s, ratio ${(median(indexed) / median(baseB)).toFixed(2)}`,
  );

  // ---- replay ----
  for (let i = 0; i < cfg.replayEvents; i += 1000) {
    await store.append(
      'credential-set-replay',
      Array.from({ length: Math.min(1000, cfg.replayEvents - i) }, (_, j) => event(i + j)),
      { expectedVersion: i, idempotencyKey: `replay:${i}` },
    );
  }
  const fold: number[] = [];
  const scan: number[] = [];
  for (let rep = 0; rep < cfg.reps + 1; rep++) {
    let t = performance.now();
    const r = await stateAsOf(store, 'credential-set-replay', '2999-01-01T00:00:00Z', 'RECORDED');
    const foldRate = r.eventCount / ((performance.now() - t) / 1000);
    t = performance.now();
    let n = 0;
    let after = 0;
    for (;;) {
      const page = await raw.query<{ stream_version: number }>(
        `SELECT * FROM events WHERE stream_id = 'credential-set-replay' AND stream_version > $1 ORDER BY stream_version LIMIT 1000`,
        [after],
      );
      n += page.rows.length;
      if (page.rows.length < 1000) break;
      after = page.rows[page.rows.length - 1]!.stream_version;
    }
    const scanRate = n / ((performance.now() - t) / 1000);
    if (rep > 0) {
      fold.push(foldRate);
      scan.push(scanRate);
    }
  }
  results.push(
    `replay (one stream of ${cfg.replayEvents}): ours ${median(fold).toFixed(0)} ev/s (${spread(fold)}), raw scan ${median(scan).toFixed(0)} ev/s (${spread(scan)}), ratio ${(median(fold) / median(scan)).toFixed(2)} (goal >= 0.5)`,
  );

  // ---- replay of a whole campaign: every stream folded in one pass over the log ----
  const have = Number((await raw.query<{ n: string }>(`SELECT count(*) AS n FROM events`)).rows[0]!.n);
  const perCall = 200; // streams per batched append, 10 events each
  for (let made = have, k = 0; made < cfg.campaignEvents; k++) {
    const outcomes = await store.appendBatch(
      Array.from({ length: perCall }, (_, i) => ({
        streamId: `credential-set-c${k}-${i}`,
        events: Array.from({ length: 10 }, (_, j) => event(j)),
        expectedVersion: 0 as const,
        idempotencyKey: `c${k}-${i}:1`,
      })),
    );
    if (outcomes.some((o) => o instanceof Error)) throw new Error('campaign generation refused');
    made += perCall * 10;
  }
  const campaignFold: number[] = [];
  const campaignScan: number[] = [];
  let campaignEvents = 0;
  for (let rep = 0; rep < Math.min(cfg.reps, 3) + 1; rep++) {
    let t = performance.now();
    const r = await campaignStateAsOf(store, '2999-01-01T00:00:00Z', 'RECORDED');
    campaignEvents = r.eventCount;
    const foldRate = r.eventCount / ((performance.now() - t) / 1000);
    t = performance.now();
    let n = 0;
    let after: [string, number] = ['0', 0];
    for (;;) {
      const page = await raw.query<{ tx_id: string; position: number }>(
        `SELECT * FROM events WHERE (tx_id, position) > ($1::xid8, $2) ORDER BY tx_id, position LIMIT 1000`,
        after,
      );
      n += page.rows.length;
      if (page.rows.length < 1000) break;
      const last = page.rows[page.rows.length - 1]!;
      after = [last.tx_id, last.position];
    }
    const scanRate = n / ((performance.now() - t) / 1000);
    if (rep > 0) {
      campaignFold.push(foldRate);
      campaignScan.push(scanRate);
    }
  }
  results.push(
    `replay (a campaign of ${campaignEvents} events, every stream folded): ours ${median(campaignFold).toFixed(0)} ev/s (${spread(campaignFold)}), raw scan ${median(campaignScan).toFixed(0)} ev/s (${spread(campaignScan)}), ratio ${(median(campaignFold) / median(campaignScan)).toFixed(2)} (goal >= 0.5)`,
  );

  await raw.end();
  await db.destroy();
  await pg?.stop();
  process.stdout.write(`${smoke ? '[smoke] ' : ''}${results.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
