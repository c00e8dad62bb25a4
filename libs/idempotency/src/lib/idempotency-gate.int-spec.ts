import { ApplicationError } from '@certflow/application';
import { createDataSource, migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { IdempotencyGate, isFinalAnswer, type Admission } from './idempotency-gate';
import { IdempotencyRepository } from './idempotency.repository';
import { requestHash, routeOf, type KeyedRequest } from './idempotent-request';

let database: TestDatabase;
let db: DataSource;

beforeAll(async () => {
  database = await createTestDatabase('idempotency_gate');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

let n = 0;
const issue = (body: unknown = { serial: 'A1' }, key = `gate-${++n}`): KeyedRequest => ({
  key,
  actor: 'staff-1:FINANCE_STAFF',
  route: routeOf('POST', '/credential-sets/:setId/issue', { setId: 'set-1' }),
  requestHash: requestHash(body),
});

const gate = (settings = {}) => new IdempotencyGate(new IdempotencyRepository(db, settings), { pollMs: 20 });

function refusal(e: unknown) {
  expect(e).toBeInstanceOf(ApplicationError);
  const { code, errors } = e as ApplicationError;
  return { code, errors };
}

async function first(admission: Promise<Admission>) {
  const a = await admission;
  if (a.kind !== 'first') throw new Error(`expected to run, got ${a.kind}`);
  return a.claim;
}

describe('IdempotencyGate', () => {
  it('runs a new key, then answers the same request with the first answer', async () => {
    const g = gate();
    const r = issue();
    await g.settle(await first(g.admit(r)), { status: 200, body: '{"status":"ISSUED"}' });
    expect(await g.admit(r)).toEqual({ kind: 'replay', answer: { status: 200, body: '{"status":"ISSUED"}' } });
    // Key order and spacing of the body do not make another request.
    expect(await g.admit({ ...r, requestHash: requestHash({ serial: 'A1' }) })).toMatchObject({ kind: 'replay' });
  });

  it.each([
    ['another body', (r: KeyedRequest) => ({ ...r, requestHash: requestHash({ serial: 'B2' }) }), 'another body'],
    [
      'another route',
      (r: KeyedRequest) => ({ ...r, route: routeOf('POST', '/credential-sets/:setId/revoke', { setId: 'set-1' }) }),
      'first used on POST /credential-sets/:setId/issue',
    ],
    [
      'another set on the same route',
      (r: KeyedRequest) => ({ ...r, route: routeOf('POST', '/credential-sets/:setId/issue', { setId: 'set-2' }) }),
      'first used on',
    ],
    ['another actor', (r: KeyedRequest) => ({ ...r, actor: 'other:FINANCE_STAFF' }), "another actor's"],
  ])('refuses the same key with %s (IDEMPOTENCY_CONFLICT), answered or in flight', async (_, change, detail) => {
    const g = gate();
    const answered = issue();
    await g.settle(await first(g.admit(answered)), { status: 200, body: '{}' });
    const inFlight = issue();
    await first(g.admit(inFlight));
    for (const r of [answered, inFlight]) {
      const e = await g.admit(change(r)).catch((x: unknown) => x);
      expect(refusal(e)).toEqual({
        code: 'IDEMPOTENCY_CONFLICT',
        errors: [{ path: 'Idempotency-Key', rule: 'IDEMPOTENCY_CONFLICT' }],
      });
      expect((e as ApplicationError).detail).toContain(detail);
    }
  });

  it('lets one of many concurrent same requests run; the others wait and get its answer', async () => {
    const g = gate();
    const r = issue();
    const owner = await first(g.admit(r));
    const waiting = Array.from({ length: 5 }, () => g.admit(r));
    await new Promise((x) => setTimeout(x, 200));
    await g.settle(owner, { status: 200, body: '{"once":true}' });
    for (const a of await Promise.all(waiting)) {
      expect(a).toEqual({ kind: 'replay', answer: { status: 200, body: '{"once":true}' } });
    }
  });

  it('gives the key to the next same request when the answer is not final (409, 503, pending)', async () => {
    const g = gate();
    for (const answer of [{ status: 409, body: '{}' }, { status: 503, body: '{}' }, null]) {
      const r = issue();
      const owner = await first(g.admit(r));
      const next = g.admit(r);
      await g.settle(owner, answer);
      expect(await next).toMatchObject({ kind: 'first' });
    }
  });

  it('lets the same request take over after the lease of an attempt that never answered', async () => {
    const g = gate({ leaseSeconds: 1 });
    const r = issue();
    await first(g.admit(r)); // its process died: it never settles
    const started = Date.now();
    const taken = await first(g.admit(r));
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await g.settle(taken, { status: 200, body: '{"after":"takeover"}' });
    expect(await g.admit(r)).toMatchObject({ kind: 'replay', answer: { body: '{"after":"takeover"}' } });
  });

  it('lets a request run unchecked when the key store is away, as if it had no key', async () => {
    const gone = await createDataSource(database.url).initialize();
    await gone.destroy();
    const a = await new IdempotencyGate(new IdempotencyRepository(gone)).admit(issue());
    expect(a.kind).toBe('unchecked');
  });

  it('lets a request run unchecked when the key store hangs, and gives back the claim that lands late', async () => {
    const repo = new IdempotencyRepository(db);
    const r = issue();
    await repo.complete((await repo.claim(r))!, { status: 200, body: '{}' });
    await db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 s' WHERE key = $1`, [r.key]);
    // Another transaction holds the key's row: the claim waits on its lock, as on a hung server.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT key FROM idempotency_keys WHERE key = $1 FOR UPDATE`, [r.key]);
      const g = new IdempotencyGate(repo, { storeTimeoutMs: 300 });
      expect((await g.admit(r)).kind).toBe('unchecked');
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    // The late claim of the expired key was given back: the key is free for the next request.
    for (let i = 0; i < 50 && (await db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [r.key])).length; i++) {
      await new Promise((x) => setTimeout(x, 100));
    }
    expect(await db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [r.key])).toEqual([]);
    expect(await gate().admit(r)).toMatchObject({ kind: 'first' });
  });

  it('keeps successes and refusals of the request itself; not refusals that may change, nor failures', () => {
    const kept = [200, 201, 202, 400, 413, 415].filter(isFinalAnswer);
    const notKept = [401, 403, 404, 409, 422, 500, 503].filter(isFinalAnswer);
    expect({ kept, notKept }).toEqual({ kept: [200, 201, 202, 400, 413, 415], notKept: [] });
  });
});
