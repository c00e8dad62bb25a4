import { createDataSource, migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { IdempotencyRepository } from './idempotency.repository';
import { requestHash, routeOf, type KeyedRequest } from './idempotent-request';

// Against a real PostgreSQL, as the API's role (certflow_app), so the migration's grants are tested too.
let database: TestDatabase;
let su: DataSource;
let app: DataSource;

beforeAll(async () => {
  database = await createTestDatabase('idempotency_repo');
  await migrate(database.url);
  su = await createDataSource(database.url).initialize();
  app = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
});

afterAll(async () => {
  await app?.destroy();
  await su?.destroy();
  await database?.drop();
});

let n = 0;
function request(body: unknown = { platform: 'SUCAIYUN' }, key = `key-${++n}`): KeyedRequest {
  return {
    key,
    actor: 'staff-1:FINANCE_STAFF',
    route: routeOf('POST', '/credential-sets/:setId/bind-new', { setId: 'set-1' }),
    requestHash: requestHash(body),
  };
}

/** Moves a key's times back, as if it had been claimed or stored `seconds` ago. */
async function age(key: string, seconds: number): Promise<void> {
  await su.query(
    `UPDATE idempotency_keys SET created_at = created_at - make_interval(secs => $2),
       claimed_at = claimed_at - make_interval(secs => $2), expires_at = expires_at - make_interval(secs => $2)
     WHERE key = $1`,
    [key, seconds],
  );
}

const keys = () => new IdempotencyRepository(app);

describe('IdempotencyRepository', () => {
  it('claims a new key once; while it is in flight within its lease nobody else claims it', async () => {
    const repo = keys();
    const r = request();
    const claim = await repo.claim(r);
    expect(claim).toMatchObject({ key: r.key });
    expect(await repo.claim(r)).toBeNull();
    expect(await repo.claim(request({ platform: 'OTHER' }, r.key))).toBeNull();
    expect(await repo.find(r.key)).toMatchObject({ ...r, state: 'IN_FLIGHT', answer: null });
  });

  it('keeps the first answer byte for byte, and a completed key is never claimed again within the TTL', async () => {
    const repo = keys();
    const r = request();
    const claim = (await repo.claim(r))!;
    const body = '{"setId":"set-1","status":"BOUND","z":1,"a":[2,1]}';
    expect(await repo.complete(claim, { status: 200, body })).toBe(true);
    expect(await repo.find(r.key)).toMatchObject({ state: 'COMPLETED', answer: { status: 200, body } });
    expect(await repo.claim(r)).toBeNull();
    await age(r.key, 60);
    expect(await repo.claim(r)).toBeNull();
    // A second completion of the same claim changes nothing.
    expect(await repo.complete(claim, { status: 201, body: '{}' })).toBe(false);
    expect((await repo.find(r.key))?.answer).toEqual({ status: 200, body });
  });

  it('keeps a completed answer at least the TTL from its completion', async () => {
    const repo = keys();
    const r = request();
    const claim = (await repo.claim(r))!;
    await age(r.key, 3600);
    await repo.complete(claim, { status: 200, body: '{}' });
    const [{ left }] = await su.query<[{ left: number }]>(
      `SELECT extract(epoch FROM expires_at - now())::int AS left FROM idempotency_keys WHERE key = $1`,
      [r.key],
    );
    expect(left).toBeGreaterThanOrEqual(24 * 3600 - 5);
  });

  it('gives a key back on release: the next request with it is claimed afresh', async () => {
    const repo = keys();
    const r = request();
    const claim = (await repo.claim(r))!;
    expect(await repo.release(claim)).toBe(true);
    expect(await repo.find(r.key)).toBeNull();
    const other = request({ platform: 'OTHER' }, r.key);
    expect(await repo.claim(other)).not.toBeNull();
    expect(await repo.find(r.key)).toMatchObject({ requestHash: other.requestHash });
  });

  it('lets the same request take over a key in flight past its lease, and only the same request', async () => {
    const repo = new IdempotencyRepository(app, { leaseSeconds: 30 });
    const r = request();
    const first = (await repo.claim(r))!;
    await age(r.key, 31);
    expect(await repo.claim(request({ platform: 'OTHER' }, r.key))).toBeNull();
    expect(await repo.claim({ ...r, actor: 'someone:SUPERVISING_UNIT' })).toBeNull();
    const second = await repo.claim(r);
    expect(second).not.toBeNull();
    // The first attempt's claim is gone: it can neither store nor give back the key.
    expect(await repo.complete(first, { status: 200, body: '{"late":true}' })).toBe(false);
    expect(await repo.release(first)).toBe(false);
    expect(await repo.complete(second!, { status: 200, body: '{"taken":true}' })).toBe(true);
    expect((await repo.find(r.key))?.answer).toEqual({ status: 200, body: '{"taken":true}' });
  });

  it('treats a key older than its TTL as new, whatever it was bound to', async () => {
    const repo = keys();
    const r = request();
    await repo.complete((await repo.claim(r))!, { status: 200, body: '{"old":true}' });
    await age(r.key, 24 * 3600 + 1);
    expect(await repo.find(r.key)).toBeNull();
    const other = { ...request({ platform: 'OTHER' }, r.key), route: routeOf('POST', '/parties') };
    const claim = await repo.claim(other);
    expect(claim).not.toBeNull();
    const found = await repo.find(r.key);
    expect(found).toMatchObject({ route: 'POST /parties', state: 'IN_FLIGHT', answer: null });
    expect(Date.now() - found!.createdAt.getTime()).toBeLessThan(60_000);
  });

  it('sweeps expired keys and only those', async () => {
    const repo = keys();
    const [kept, gone] = [request(), request()];
    await repo.complete((await repo.claim(kept))!, { status: 200, body: '{}' });
    await repo.complete((await repo.claim(gone))!, { status: 200, body: '{}' });
    await age(gone.key, 2 * 24 * 3600);
    expect(await repo.deleteExpired()).toBeGreaterThanOrEqual(1);
    const rows = await su.query<{ key: string }[]>(`SELECT key FROM idempotency_keys WHERE key = ANY($1)`, [
      [kept.key, gone.key],
    ]);
    expect(rows.map((x) => x.key)).toEqual([kept.key]);
  });

  it('claims a key for exactly one of many concurrent requests', async () => {
    const repo = keys();
    const r = request();
    const claims = await Promise.all(Array.from({ length: 12 }, () => repo.claim(r)));
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
  });
});
