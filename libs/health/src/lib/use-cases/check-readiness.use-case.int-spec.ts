import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { DataSource } from 'typeorm';
import { CheckReadinessUseCase } from './check-readiness.use-case';

// A real PostgreSQL; a Temporal "frontend" that accepts connections and never answers (what a
// stopped or wedged server looks like from outside).
let database: TestDatabase;
let db: DataSource;
let blackHole: net.Server;
let sockets: net.Socket[] = [];
let hungTemporal: Client;

beforeAll(async () => {
  database = await createTestDatabase('health');
  // One connection: a transaction holding it makes every other query wait, as a hung server does.
  db = await new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } }).initialize();
  blackHole = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
  const { port } = blackHole.address() as net.AddressInfo;
  hungTemporal = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${port}` }) });
});

afterAll(async () => {
  await hungTemporal?.connection.close().catch(() => undefined);
  sockets.forEach((s) => s.destroy());
  sockets = [];
  await new Promise((r) => blackHole?.close(r));
  await db?.destroy();
  await database?.drop();
});

describe('readiness', () => {
  it('answers, naming Temporal as not ready, when Temporal accepts connections but never answers', async () => {
    const readiness = await new CheckReadinessUseCase(db, hungTemporal, 500).execute();
    expect(readiness).toEqual({
      postgres: true,
      temporal: false,
      notReady: [expect.stringMatching(/^temporal: /)],
    });
  });

  it('answers, naming PostgreSQL as not ready, when its query cannot get an answer', async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const readiness = await new CheckReadinessUseCase(db, hungTemporal, 500).execute();
      expect(readiness.postgres).toBe(false);
      expect(readiness.notReady).toEqual(['postgres: no answer within 500 ms', expect.stringMatching(/^temporal: /)]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
