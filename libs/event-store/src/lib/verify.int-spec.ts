import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from './data-source';
import { PostgresEventStore, type NewEvent } from './event-store';
import { verifyLog, type VerificationReport } from './verify';

let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('verify');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app', poolSize: 12 }).initialize();
  store = new PostgresEventStore(db);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const blocked = (i: number): NewEvent => ({
  type: 'PlatformAccessBlocked',
  data: { platform: 'SUCAIYUN' },
  at: new Date(Date.UTC(2023, 9, 12) + i * 1000).toISOString(),
  actor: { id: 'system', role: 'SYSTEM' },
});

describe('verifying the log while it grows', () => {
  it('finds nothing while several writers append concurrently: it reads one consistent snapshot', async () => {
    const streams = 12;
    const writers = 6;
    // Every stream has events before verification starts, so each one is checked while it grows.
    for (let s = 0; s < streams; s++) {
      await store.append(`credential-set-V${s}`, [blocked(0)], {
        expectedVersion: 'no-stream',
        idempotencyKey: `seed-${s}`,
      });
    }
    const perWriter = 60;
    let writersDone = 0;
    const writing = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          // Each writer owns two streams, so appends never conflict and never pause.
          const streamId = `credential-set-V${(w * 2 + (i % 2)) % streams}`;
          await store.append(streamId, [blocked(i), blocked(i + 1)], {
            expectedVersion: 'any',
            idempotencyKey: `v${w}-${i}`,
          });
        }
        writersDone += 1;
      }),
    );
    const reports: VerificationReport[] = [];
    // Small pages: many statements per verification, each a chance to see a later state.
    while (writersDone < writers) reports.push(await verifyLog(db, null, { pageSize: 3 }));
    await writing;
    expect(reports.flatMap((r) => r.findings)).toEqual([]);
    expect(reports.every((r) => r.streamsChecked === streams)).toBe(true);
    // Verification really ran while the log grew.
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.at(-1)!.eventsChecked).toBeGreaterThan(reports[0]!.eventsChecked);
    expect(await verifyLog(db, null)).toMatchObject({ ok: true, findings: [] });
  });
});
