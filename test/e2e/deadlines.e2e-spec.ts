import { createDataSource, migrate } from '@certflow/event-store';
import {
  actors,
  apiClient,
  budgetUnit,
  components,
  freePort,
  oldCredential,
  postgresProcess,
  rehearsalPolicy,
  retry,
  startSystem,
  uniqueId,
  type PostgresProcess,
  type System,
} from '@certflow/testing';
import type { DataSource } from 'typeorm';

// No request waits forever: the running system with a step deadline and a PostgreSQL of its own (so
// it can be made to hang). A step whose Update the workflow never accepts (the worker is down)
// answers 503 with Retry-After and the Update's id; one accepted but unfinished (its append waits on
// a lock) answers 202 with where to look. The deadline is past the ~8 s after which the worker
// reports a step accepted while its append (a local activity) is still running. Either way a retry with the same key,
// once the part is back, takes effect once. `/ready` answers 503 naming PostgreSQL while it hangs.
// The requests carry an abort signal far past the deadline: what is asserted is that they end with
// the right status, not how fast.
const DEADLINE_SECONDS = 15;
const HANG_GUARD_MS = 60_000;

let pg: PostgresProcess;
let db: DataSource;
let system: System;

const { finance, supervisor } = actors;
const { ok } = apiClient(() => system.api, finance);

beforeAll(async () => {
  pg = postgresProcess({ port: await freePort() });
  await pg.start();
  await migrate(pg.url);
  db = await createDataSource(pg.url).initialize();
  system = await startSystem({
    databaseUrl: pg.url,
    policy: rehearsalPolicy(14),
    env: { CERTFLOW_STEP_DEADLINE_SECONDS: String(DEADLINE_SECONDS) },
  });
});

afterAll(async () => {
  pg?.resume();
  await system?.stop();
  await db?.destroy();
  await pg?.remove();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
  readonly body: Record<string, any>;
}

async function post(
  path: string,
  body: unknown,
  key: string,
  actor: readonly [string, string] = finance,
): Promise<Answer> {
  const res = await fetch(`${system.api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-actor-id': actor[0],
      'x-actor-role': actor[1],
      'idempotency-key': key,
    },
    body: JSON.stringify(body ?? {}),
    signal: AbortSignal.timeout(HANG_GUARD_MS),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** A budget unit's replacement set, applied for and collected: its filing is the next step. */
async function collectedSet(prefix: string): Promise<string> {
  const bu = uniqueId(prefix);
  const setId = `${bu}-a`;
  await ok('POST', '/parties', budgetUnit(bu));
  await ok(
    'POST',
    '/credential-sets',
    { setId, partyId: bu, kind: 'REPLACEMENT', oldCredential: oldCredential(`GX-OLD-${bu}`) },
    supervisor,
  );
  await ok('POST', `/credential-sets/${setId}/collect`, undefined, supervisor);
  return setId;
}

async function eventsOfType(setId: string, type: string, stream = `credential-set-${setId}`): Promise<number> {
  const [{ n }] = await db.query<[{ n: number }]>(
    `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND event_type = $2`,
    [stream, type],
  );
  return n;
}

/** Repeats the step with its key until it answers its outcome, 200 or 201 (the part that was away is back). */
const completed = (path: string, body: unknown, key: string, actor: readonly [string, string] = finance) =>
  retry(async () => {
    const r = await post(path, body, key, actor);
    if (r.status !== 200 && r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  }, 120_000);

describe('a step over HTTP has a deadline', () => {
  it('answers 503 with Retry-After and the Update id when no worker accepts it, then takes effect once', async () => {
    const setId = await collectedSet('deadline-worker');
    const partyId = setId.replace(/-a$/, '');
    const filing = { filingId: 'f-1', additionalSets: 1, reason: '两个业务科室分别使用' };
    const [setKey, partyKey] = [uniqueId('filing'), uniqueId('party-filing')];
    await system.killWorker('SIGKILL');
    try {
      const [set, party] = await Promise.all([
        post(`/credential-sets/${setId}/filing`, { decision: 'ACCEPT' }, setKey),
        post(`/parties/${partyId}/filings`, filing, partyKey, supervisor),
      ]);
      expect(set.status).toBe(503);
      expect(set.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(set.body).toMatchObject({ rule: 'STEP_NOT_ACCEPTED', details: { setId, updateId: setKey } });
      // The party's step needs its state from the workflow first: nothing was sent to it.
      expect(party.status).toBe(503);
      expect(party.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(party.body).toMatchObject({ rule: 'STEP_NOT_ACCEPTED', details: { partyId } });
    } finally {
      await system.startWorker();
    }
    const done = await completed(`/credential-sets/${setId}/filing`, { decision: 'ACCEPT' }, setKey);
    expect(done.body['state'].status).toBe('FILED');
    expect(await eventsOfType(setId, 'FilingAccepted')).toBe(1);
    const filed = await completed(`/parties/${partyId}/filings`, filing, partyKey, supervisor);
    expect(filed.body['filings']).toMatchObject({ 'f-1': { status: 'SUBMITTED' } });
    expect(await eventsOfType(setId, 'AdditionalSetFilingSubmitted', `party-${partyId}`)).toBe(1);
  });

  it('answers 202 with the Update id and a Location when the step was accepted but not finished', async () => {
    const setId = await collectedSet('deadline-append');
    await ok('POST', `/credential-sets/${setId}/filing`, { decision: 'ACCEPT' });
    const key = uniqueId('issue');
    // The set's append waits on its stream's head row, which this transaction holds: the workflow
    // accepts the step (its validator needs no database) but cannot finish it.
    const holder = db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    let pending: Answer;
    try {
      await holder.query(`SELECT 1 FROM event_streams WHERE stream_id = $1 FOR UPDATE`, [`credential-set-${setId}`]);
      pending = await post(`/credential-sets/${setId}/issue`, components(setId), key);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(pending.status).toBe(202);
    expect(pending.headers.get('location')).toBe(`/credential-sets/${setId}?consistency=strong`);
    expect(pending.body).toMatchObject({ status: 'PENDING', setId, updateId: key });

    const done = await completed(`/credential-sets/${setId}/issue`, components(setId), key);
    expect(done.body['state'].status).toBe('ISSUED');
    const read = await ok('GET', pending.headers.get('location') ?? '');
    expect(read['state']).toMatchObject({ status: 'ISSUED' });
    expect(await eventsOfType(setId, 'CredentialSetIssued')).toBe(1);
  });
});

describe('/ready', () => {
  it('answers 503 naming PostgreSQL while PostgreSQL hangs, and 200 once it is back', async () => {
    pg.hang();
    let r: Response;
    try {
      r = await fetch(`${system.api}/ready`, { signal: AbortSignal.timeout(HANG_GUARD_MS) });
    } finally {
      pg.resume();
    }
    expect(r.status).toBe(503);
    const body = (await r.json()) as { checks: Record<string, boolean>; notReady: string[] };
    expect(body.checks).toEqual({ postgres: false, temporal: true });
    expect(body.notReady).toEqual([expect.stringMatching(/^postgres: /)]);
    await retry(async () => {
      const again = await fetch(`${system.api}/ready`);
      if (again.status !== 200) throw new Error(`ready: ${again.status}`);
    }, 30_000);
  });
});
