import {
  decideCredentialSet,
  foldCredentialSet,
  type CredentialSetCommand,
  type CredentialSetEvent,
  loadPolicy,
} from '@certflow/domain';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { campaignStateAsOf, stateAsOf } from './as-of';
import { createCheckpoint, ed25519Signer, generateSigningKey } from './checkpoints';
import { createDataSource, migrate, revertLastMigration } from './data-source';
import { EventStoreError, WrongExpectedVersionError } from './errors';
import { PostgresEventStore, START, type Cursor, type NewEvent, type StoredEvent } from './event-store';
import { Projector } from './projector';
import { verifyLog } from './verify';

const policy = loadPolicy(changzhou);
const staff = { id: 'zhang', role: 'FINANCE_STAFF' } as const;
const sh = (local: string) => `${local}+08:00`;

/** A realistic credential-set history, decided by the domain itself. */
function lifecycle(setId: string, partyId = `unit-${setId}`, jurisdiction = 'wujin'): CredentialSetEvent[] {
  const commands: CredentialSetCommand[] = [
    {
      type: 'ApplyForCredentialSet',
      at: sh('2023-09-02T09:00:00'),
      actor: { id: 'sup', role: 'SUPERVISING_UNIT' },
      setId,
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction, supervisingUnitId: 'sup' },
      kind: 'NEW',
      oldCredential: null,
      firstSetOfParty: true,
    },
    { type: 'CollectApplication', at: sh('2023-09-03T09:00:00'), actor: { id: 'sup', role: 'SUPERVISING_UNIT' } },
    { type: 'AcceptFiling', at: sh('2023-09-04T09:00:00'), actor: staff },
    {
      type: 'IssueCredentialSet',
      at: sh('2023-09-08T09:00:00'),
      actor: staff,
      ca: {
        serial: `CA-${setId}`,
        issuer: 'JSCA',
        validFrom: sh('2023-09-08T09:00:00'),
        validUntil: sh('2024-09-08T09:00:00'),
      },
      seal: {
        serial: `SEAL-${setId}`,
        issuer: 'Founder',
        validFrom: sh('2023-09-08T09:00:00'),
        validUntil: sh('2024-09-08T09:00:00'),
      },
    },
    { type: 'BindNewCredential', at: sh('2023-09-12T09:00:00'), actor: { id: 'contact', role: 'PARTY' } },
  ].map((c) => (c.type === 'BindNewCredential' ? { ...c, platform: 'SUCAIYUN' } : c)) as CredentialSetCommand[];
  return commands.reduce<CredentialSetEvent[]>(
    (events, c) => [...events, ...decideCredentialSet(c, foldCredentialSet(events), policy)],
    [],
  );
}

const blocked = (i: number): NewEvent => ({
  type: 'PlatformAccessBlocked',
  data: { platform: 'SUCAIYUN' },
  at: new Date(Date.UTC(2023, 9, 12) + i * 1000).toISOString(),
  actor: { id: 'system', role: 'SYSTEM' },
});

let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let su: Client;

async function count(table: string): Promise<number> {
  const { rows } = await su.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  database = await createTestDatabase('eventstore');
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app', poolSize: 24 }).initialize();
  store = new PostgresEventStore(db);
  su = new Client({ connectionString: database.url });
  await su.connect();
});

afterAll(async () => {
  await su?.end();
  await db?.destroy();
  await database?.drop();
});

describe('migrations', () => {
  it('are reversible: down then up again leaves a working log', async () => {
    const scratch = await createTestDatabase('migrations');
    try {
      expect(await migrate(scratch.url)).toEqual([
        'EventLog1763800000000',
        'Projections1763800100000',
        'Launches1763900000000',
        'IdempotencyKeys1764100000000',
      ]);
      await revertLastMigration(scratch.url);
      await revertLastMigration(scratch.url);
      await revertLastMigration(scratch.url);
      await revertLastMigration(scratch.url);
      const c = new Client({ connectionString: scratch.url });
      await c.connect();
      const { rows } = await c.query(`SELECT to_regclass('events') AS t`);
      await c.end();
      expect(rows[0].t).toBeNull();
      expect(await migrate(scratch.url)).toHaveLength(4);
    } finally {
      await scratch.drop();
    }
  });
});

describe('append', () => {
  it('writes a batch with versions, chain hashes, party and jurisdiction, and reads it back', async () => {
    const events = lifecycle('A1', 'unit-A1', 'wujin');
    const result = await store.append('credential-set-A1', events, {
      expectedVersion: 'no-stream',
      idempotencyKey: 'A1-apply',
    });
    expect(result).toMatchObject({
      streamId: 'credential-set-A1',
      fromVersion: 1,
      toVersion: events.length,
      duplicate: false,
    });
    const back = await store.readStreamToArray('credential-set-A1');
    expect(back.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(back.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
    expect(back.every((e) => e.partyId === 'unit-A1' && e.jurisdiction === 'wujin')).toBe(true);
    expect(back[1]!.prevHash).toBe(back[0]!.hash);
    expect(back[0]!.at).toBe('2023-09-02T01:00:00.000Z');
    expect(
      foldCredentialSet(
        back.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as CredentialSetEvent),
      ).status,
    ).toBe('ISSUED');
  });

  it('lets exactly one of two concurrent appenders with the same expected version win', async () => {
    const [first] = lifecycle('C1');
    const outcomes = await Promise.allSettled([
      store.append('credential-set-C1', [first!], { expectedVersion: 0, idempotencyKey: 'C1-a' }),
      store.append('credential-set-C1', [first!], { expectedVersion: 0, idempotencyKey: 'C1-b' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(rejected.reason).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', expected: 0, actual: 1 });
    expect(await store.streamVersion('credential-set-C1')).toBe(1);
  });

  it('returns the first result for a retry with the same key and content, and writes nothing', async () => {
    const events = lifecycle('I1');
    const first = await store.append('credential-set-I1', events, { expectedVersion: 0, idempotencyKey: 'I1-step-1' });
    const before = await count('events');
    const retry = await store.append('credential-set-I1', events, { expectedVersion: 0, idempotencyKey: 'I1-step-1' });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await count('events')).toBe(before);
  });

  it('refuses the same key with different content, writing nothing', async () => {
    const events = lifecycle('I2');
    await store.append('credential-set-I2', events.slice(0, 2), { expectedVersion: 0, idempotencyKey: 'I2-k' });
    const before = await count('events');
    await expect(
      store.append('credential-set-I2', events.slice(0, 3), { expectedVersion: 0, idempotencyKey: 'I2-k' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
    expect(await count('events')).toBe(before);
  });

  it('applies concurrent retries of one request once', async () => {
    const events = lifecycle('I3');
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.append('credential-set-I3', events, { expectedVersion: 0, idempotencyKey: 'I3-once' }),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.positions))).size).toBe(1);
    expect(await store.streamVersion('credential-set-I3')).toBe(events.length);
  });

  it.each([
    ['an unknown stream', 'ledger-1', [blocked(0)], 'UNKNOWN_STREAM'],
    ['an empty batch', 'credential-set-E1', [], 'EMPTY_BATCH'],
    [
      'an event type of another stream',
      'credential-set-E1',
      [{ ...blocked(0), type: 'PartyRegistered' }],
      'UNKNOWN_EVENT_TYPE',
    ],
    [
      'a malformed payload',
      'credential-set-E1',
      [blocked(0), { ...blocked(1), data: { platform: 42 } }],
      'MALFORMED_EVENT',
    ],
    ['an unknown schema version', 'credential-set-E1', [{ ...blocked(0), schemaVersion: 9 }], 'UNKNOWN_SCHEMA_VERSION'],
    [
      'a business time without offset',
      'credential-set-E1',
      [{ ...blocked(0), at: '2023-10-12T00:00:00' }],
      'MALFORMED_EVENT',
    ],
    [
      'a causation id that is not a UUID',
      'credential-set-E1',
      [{ ...blocked(0), causationId: 'cmd-1' }],
      'MALFORMED_EVENT',
    ],
  ] as const)('refuses %s with a typed error and writes nothing', async (_name, streamId, events, code) => {
    const [e0, s0] = [await count('events'), await count('event_streams')];
    const error = await store
      .append(streamId, events as unknown as NewEvent[], { expectedVersion: 'any', idempotencyKey: `bad-${code}` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventStoreError);
    expect(error).toMatchObject({ code });
    expect([await count('events'), await count('event_streams')]).toEqual([e0, s0]);
  });

  it.each([
    ['a NUL in a payload string', [{ ...blocked(0), data: { platform: 'SUCAI\u0000YUN' } }], 'events[0].data.platform'],
    [
      'a lone surrogate in a payload string',
      [blocked(0), { ...blocked(1), data: { platform: '\ud800' } }],
      'events[1].data.platform',
    ],
    ['a NUL in the actor', [{ ...blocked(0), actor: { id: 'x\u0000', role: 'SYSTEM' } }], 'events[0].actor.id'],
  ] as const)(
    'refuses %s, which PostgreSQL cannot store, as its own MALFORMED_EVENT naming the place',
    async (_name, events, path) => {
      const [e0, s0] = [await count('events'), await count('event_streams')];
      const error = await store
        .append('credential-set-E3', events as unknown as NewEvent[], {
          expectedVersion: 'any',
          idempotencyKey: `E3-${path}`,
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ code: 'MALFORMED_EVENT', details: { path } });
      expect([await count('events'), await count('event_streams')]).toEqual([e0, s0]);
      const key = await store
        .append('credential-set-E3', [blocked(0)], { expectedVersion: 'any', idempotencyKey: 'E3-\ud800' })
        .catch((e: unknown) => e);
      expect(key).toMatchObject({ code: 'MALFORMED_EVENT', details: { path: 'idempotencyKey' } });
    },
  );

  it('names the field of a malformed payload', async () => {
    const error = (await store
      .append('credential-set-E2', [{ ...blocked(0), data: { platform: 'SUCAIYUN', extra: 1 } }], {
        expectedVersion: 'any',
        idempotencyKey: 'E2',
      })
      .catch((e: unknown) => e)) as EventStoreError;
    expect(error.message).toContain('events[0].data');
  });
});

describe('batched appends across streams', () => {
  it('write each stream in its own place, report a refused request in its place, and replay a retry', async () => {
    const batch = ['b-1', 'b-2', 'b-3'].map((id) => ({
      streamId: `credential-set-${id}`,
      events: lifecycle(id).slice(0, 2),
      expectedVersion: 'no-stream' as const,
      idempotencyKey: `batch:${id}`,
    }));
    await store.append('credential-set-b-2', [blocked(0)], { expectedVersion: 'no-stream', idempotencyKey: 'b-2:0' });
    const before = await count('events');
    const first = await store.appendBatch(batch);
    expect(first[0]).toMatchObject({ streamId: 'credential-set-b-1', fromVersion: 1, toVersion: 2, duplicate: false });
    expect(first[1]).toBeInstanceOf(WrongExpectedVersionError);
    expect(first[2]).toMatchObject({ streamId: 'credential-set-b-3', fromVersion: 1, toVersion: 2, duplicate: false });
    expect(await count('events')).toBe(before + 4);

    const again = await store.appendBatch([...batch].reverse());
    expect(again[2]).toMatchObject({ ...first[0], duplicate: true });
    expect(again[0]).toMatchObject({ ...first[2], duplicate: true });
    expect(again[1]).toBeInstanceOf(WrongExpectedVersionError);
    const changed = await store.appendBatch([{ ...batch[0]!, events: batch[0]!.events.slice(0, 1) }]);
    expect((changed[0] as EventStoreError).code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await count('events')).toBe(before + 4);
    expect((await store.readStreamToArray('credential-set-b-3')).map((e) => e.streamVersion)).toEqual([1, 2]);
    await expect(store.appendBatch([batch[0]!, batch[0]!])).rejects.toThrow(/one request per stream/);
    expect((await verifyLog(db, null)).ok).toBe(true);
  });
});

describe('the append-only guarantee', () => {
  it.each([
    ['UPDATE', `UPDATE events SET payload = '{}'::jsonb`],
    ['DELETE', `DELETE FROM events`],
    ['TRUNCATE', `TRUNCATE events`],
  ])('refuses %s to the application role', async (_op, sql) => {
    await expect(db.query(sql)).rejects.toThrow(/permission denied|append-only/);
  });

  it('refuses UPDATE and DELETE even to a superuser, by trigger', async () => {
    await expect(su.query(`UPDATE events SET actor_id = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(su.query(`DELETE FROM events`)).rejects.toThrow(/append-only/);
    await expect(su.query(`TRUNCATE events`)).rejects.toThrow(/append-only/);
  });
});

describe('readers catching up by position', () => {
  it('never skip an event whose transaction commits after a later position became visible', async () => {
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      const cursor0 = await endCursor();
      // Hold the idempotency key that the first append will write last, so it stalls before commit.
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO event_idempotency (idempotency_key, stream_id, request_hash, result) VALUES ('slow-1', 'x', '\\x00', '{}')`,
      );
      const slow = store.append('credential-set-SLOW', [blocked(0)], {
        expectedVersion: 'any',
        idempotencyKey: 'slow-1',
      });
      await waitForLockWait();
      const fast = await store.append('credential-set-FAST', [blocked(1)], {
        expectedVersion: 'any',
        idempotencyKey: 'fast-1',
      });
      const slowPosition = Number((await su.query(`SELECT max(position) AS p FROM events`)).rows[0].p) - 1;
      expect(fast.positions[0]).toBeGreaterThan(slowPosition);

      // The fast append is committed and has the higher position, yet the reader must wait.
      expect((await store.readPage(cursor0)).events).toEqual([]);
      // A position-only reader would have taken it now and moved past the slow one for good.
      const naive = await su.query(`SELECT position FROM events WHERE position > $1 ORDER BY position`, [
        cursor0.position,
      ]);
      expect(naive.rows.map((r: { position: string }) => Number(r.position))).toEqual([fast.positions[0]]);

      await blocker.query('ROLLBACK');
      const slowResult = await slow;
      const page = await store.readPage(cursor0);
      expect(page.events.map((e) => e.position)).toEqual([slowResult.positions[0], fast.positions[0]]);
    } finally {
      await blocker.end();
    }
  });

  it('miss nothing and repeat nothing with 16 concurrent writers', async () => {
    const from = await endCursor();
    const writers = 16;
    const perWriter = 40;
    const seen: StoredEvent[] = [];
    let done = false;
    const reader = (async () => {
      let cursor = from;
      for (;;) {
        const finished = done;
        const page = await store.readPage(cursor, 200);
        seen.push(...page.events);
        cursor = page.cursor;
        if (finished && page.events.length === 0) return;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          // Half the writers share one hot stream and retry on conflicts, as activities would.
          const streamId = w % 2 === 0 ? `credential-set-W${w}` : 'credential-set-HOT';
          for (;;) {
            try {
              await store.append(streamId, [blocked(i)], { expectedVersion: 'any', idempotencyKey: `w${w}-${i}` });
              break;
            } catch (e) {
              if (!(e instanceof WrongExpectedVersionError)) throw e;
            }
          }
        }
      }),
    );
    done = true;
    await reader;
    const keys = seen.map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => /^w\d+-\d+#0$/.test(k))).toHaveLength(writers * perWriter);
    // Every version of the hot stream arrives, though not necessarily in version order (see Projector).
    const hot = seen.filter((e) => e.streamId === 'credential-set-HOT').map((e) => e.streamVersion);
    expect([...hot].sort((a, b) => a - b)).toEqual(Array.from({ length: (writers / 2) * perWriter }, (_, i) => i + 1));
  });

  it('project a hot stream exactly, though its versions interleave in commit order', async () => {
    const projector = new Projector(db, store, 50);
    let stop = false;
    const live = (async () => {
      while (!stop) await projector.catchUp();
    })();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          await store.append('credential-set-HOT2', [blocked(i)], {
            expectedVersion: 'any',
            idempotencyKey: `hot2-${w}-${i}`,
          });
        }
      }),
    );
    stop = true;
    await live;
    await projector.catchUp();
    const { rows } = await su.query(
      `SELECT version, state FROM credential_set_view WHERE stream_id = 'credential-set-HOT2'`,
    );
    expect(rows[0].version).toBe(400);
    // Each PlatformAccessBlocked appends to the list: a skipped or reordered event would show here.
    expect(rows[0].state.blockedPlatforms).toHaveLength(400);
    expect(rows[0].state.version).toBe(400);
  });
});

describe('filtered reads for auditors', () => {
  it('select events by jurisdiction, party, type and business-time period', async () => {
    await store.append('credential-set-F1', lifecycle('F1', 'unit-F1', 'liyang'), {
      expectedVersion: 0,
      idempotencyKey: 'F1',
    });
    await store.append('credential-set-F2', lifecycle('F2', 'unit-F2', 'liyang'), {
      expectedVersion: 0,
      idempotencyKey: 'F2',
    });
    await store.append('credential-set-F3', lifecycle('F3', 'unit-F3', 'jintan'), {
      expectedVersion: 0,
      idempotencyKey: 'F3',
    });
    const all = async (filter: Parameters<PostgresEventStore['query']>[0]) => {
      const out: StoredEvent[] = [];
      for await (const e of new PostgresEventStore(db, { pageSize: 2 }).query(filter)) out.push(e);
      return out;
    };
    const liyang = await all({ jurisdiction: 'liyang' });
    expect(new Set(liyang.map((e) => e.streamId))).toEqual(new Set(['credential-set-F1', 'credential-set-F2']));
    expect(liyang.map((e) => e.position)).toEqual([...liyang.map((e) => e.position)].sort((a, b) => a - b));
    expect((await all({ partyId: 'unit-F3' })).map((e) => e.type)).toEqual(lifecycle('F3').map((e) => e.type));
    const issued = await all({ jurisdiction: 'liyang', types: ['CredentialSetIssued'] });
    expect(issued.map((e) => e.streamId)).toEqual(['credential-set-F1', 'credential-set-F2']);
    // The filing day only: 2023-09-04 in Shanghai, [from, to).
    const filingDay = await all({
      jurisdiction: 'jintan',
      from: '2023-09-04T00:00:00+08:00',
      to: '2023-09-05T00:00:00+08:00',
    });
    expect(filingDay.map((e) => e.type)).toEqual(['FilingAccepted']);
  });
});

describe('as of an instant', () => {
  it('folds by recorded time ("what the system knew") and by business time ("what had happened"), inclusive at the instant', async () => {
    const events = lifecycle('AS1');
    const r1 = await store.append('credential-set-AS1', events.slice(0, 3), {
      expectedVersion: 0,
      idempotencyKey: 'AS1-1',
    });
    await new Promise((r) => setTimeout(r, 5));
    const r2 = await store.append('credential-set-AS1', events.slice(3), {
      expectedVersion: 3,
      idempotencyKey: 'AS1-2',
    });
    const justBefore = new Date(Date.parse(r2.recordedAt) - 1).toISOString();

    const knewThen = await stateAsOf<{ status: string }>(store, 'credential-set-AS1', justBefore, 'RECORDED');
    expect(knewThen).toMatchObject({ eventCount: 3, state: { status: 'FILED' } });
    const knewAt = await stateAsOf<{ status: string }>(store, 'credential-set-AS1', r2.recordedAt, 'RECORDED');
    expect(knewAt).toMatchObject({ eventCount: events.length, state: { status: 'ISSUED' } });
    expect(Date.parse(r1.recordedAt)).toBeLessThan(Date.parse(r2.recordedAt));

    // Business time: issue took effect 2023-09-08T09:00+08:00 although it was recorded today.
    const issuedAt = '2023-09-08T01:00:00.000Z';
    const beforeIssue = await stateAsOf<{ status: string }>(
      store,
      'credential-set-AS1',
      '2023-09-08T00:59:59.999Z',
      'BUSINESS',
    );
    const atIssue = await stateAsOf<{ status: string }>(store, 'credential-set-AS1', issuedAt, 'BUSINESS');
    expect(beforeIssue.state.status).toBe('FILED');
    expect(atIssue.state.status).toBe('ISSUED');
    // By recorded time, nothing had happened in 2023: the system did not know yet.
    expect((await stateAsOf(store, 'credential-set-AS1', '2023-12-31T00:00:00Z', 'RECORDED')).eventCount).toBe(0);
  });
});

describe('a whole campaign as of an instant', () => {
  it('folds every stream in one pass, each equal to its own as-of fold', async () => {
    const { states, eventCount } = await campaignStateAsOf(store, '2999-01-01T00:00:00Z', 'RECORDED');
    expect(eventCount).toBe(await count('events'));
    const streams = (await su.query<{ stream_id: string }>(`SELECT stream_id FROM event_streams WHERE version > 0`))
      .rows;
    expect(states.size).toBe(streams.length);
    for (const { stream_id } of streams.slice(0, 20)) {
      const one = await stateAsOf(store, stream_id, '2999-01-01T00:00:00Z', 'RECORDED');
      expect(states.get(stream_id)).toEqual(one.state);
    }
    const before = await campaignStateAsOf(store, '2000-01-01T00:00:00Z', 'RECORDED');
    expect(before.eventCount).toBe(0);
  });
});

describe('projections', () => {
  it('are idempotent, resumable, and a rebuild from the log equals the live tables', async () => {
    const projector = new Projector(db, store, 7);
    await projector.catchUp();
    for (const id of ['P1', 'P2', 'P3']) {
      await store.append(`credential-set-${id}`, lifecycle(id, `unit-${id}`, 'tianning'), {
        expectedVersion: 0,
        idempotencyKey: `proj-${id}`,
      });
      await projector.catchUp();
    }
    expect(await projector.catchUp()).toBe(0);
    const live = await snapshot();
    expect(live.sets.find((r) => r.stream_id === 'credential-set-P2')).toMatchObject({
      status: 'ISSUED',
      party_id: 'unit-P2',
      jurisdiction: 'tianning',
      bound_platforms: ['SUCAIYUN'],
    });
    await projector.rebuild();
    expect(await snapshot()).toEqual(live);
  });
});

describe('reading in bounded memory', () => {
  it('reads a stream of 10^4 events page by page', async () => {
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => blocked(batch * 500 + i));
      await store.append('credential-set-BIG', events, {
        expectedVersion: batch * 500,
        idempotencyKey: `big-${batch}`,
      });
    }
    const paged = new PostgresEventStore(db, { pageSize: 250 });
    const sizes: number[] = [];
    const spy = jest.spyOn(db, 'query');
    let n = 0;
    let lastVersion = 0;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for await (const e of paged.readStream('credential-set-BIG')) {
      expect(e.streamVersion).toBe(lastVersion + 1);
      lastVersion = e.streamVersion;
      n += 1;
    }
    for (const call of spy.mock.results) sizes.push(((await call.value) as unknown[]).length);
    spy.mockRestore();
    gc();
    expect(n).toBe(10_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(250);
    expect(sizes).toHaveLength(41);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024);
    const folded = await stateAsOf<{ version: number }>(
      store,
      'credential-set-BIG',
      '2999-01-01T00:00:00Z',
      'RECORDED',
    );
    expect(folded.eventCount).toBe(10_000);
  });
});

describe('tamper evidence', () => {
  const keys = generateSigningKey();
  const signer = ed25519Signer(keys.privateKeyPem, 'test-key');

  it('finds every kind of tampering by a superuser, each at its exact place', async () => {
    for (const id of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8']) {
      await store.append(`credential-set-${id}`, lifecycle(id), { expectedVersion: 0, idempotencyKey: `tamper-${id}` });
    }
    await createCheckpoint(db, signer);
    expect(await verifyLog(db, signer)).toMatchObject({ ok: true, findings: [] });

    const pos = async (stream: string, version: number) =>
      Number(
        (await su.query(`SELECT position FROM events WHERE stream_id = $1 AND stream_version = $2`, [stream, version]))
          .rows[0].position,
      );
    const p = {
      payload: await pos('credential-set-T1', 4),
      actor: await pos('credential-set-T2', 2),
      time: await pos('credential-set-T3', 3),
      deletedNext: await pos('credential-set-T4', 3),
      swapA: await pos('credential-set-T6', 2),
      swapB: await pos('credential-set-T6', 3),
    };
    await su.query(`SET session_replication_role = replica`); // a superuser switching the triggers off
    await su.query(`UPDATE events SET payload = jsonb_set(payload, '{ca,serial}', '"CA-FORGED"') WHERE position = $1`, [
      p.payload,
    ]);
    await su.query(`UPDATE events SET actor_id = 'mallory' WHERE position = $1`, [p.actor]);
    await su.query(`UPDATE events SET business_time = business_time - interval '1 day' WHERE position = $1`, [p.time]);
    await su.query(`DELETE FROM events WHERE stream_id = 'credential-set-T4' AND stream_version = 2`);
    await su.query(`DELETE FROM events WHERE stream_id = 'credential-set-T5' AND stream_version = 5`);
    await su.query(`UPDATE events SET stream_version = 1000 + stream_version WHERE position IN ($1, $2)`, [
      p.swapA,
      p.swapB,
    ]);
    await su.query(
      `UPDATE events SET stream_version = CASE WHEN stream_version = 1002 THEN 3 ELSE 2 END WHERE position IN ($1, $2)`,
      [p.swapA, p.swapB],
    );
    await su.query(`DELETE FROM events WHERE stream_id = 'credential-set-T7'`);
    await su.query(`DELETE FROM event_streams WHERE stream_id = 'credential-set-T7'`);
    // A careful forger: a well-chained extra event at the end of T8, stream head left alone.
    const last = (await store.readStreamToArray('credential-set-T8')).at(-1)!;
    const forged = {
      ...last,
      streamVersion: last.streamVersion + 1,
      eventId: '00000000-0000-5000-8000-000000000001',
      idempotencyKey: 'forged#0',
      prevHash: last.hash,
    };
    const { eventHash } = await import('./canonical');
    const { hashedFieldsOf } = await import('./event-store');
    const forgedHash = eventHash(hashedFieldsOf(forged), Buffer.from(last.hash, 'hex'));
    const inserted = await su.query(
      `INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, payload, actor_id, actor_role,
         business_time, recorded_at, idempotency_key, party_id, jurisdiction, prev_hash, hash)
       SELECT $1, stream_id, $2, event_type, schema_version, payload, actor_id, actor_role, business_time, recorded_at, $3,
              party_id, jurisdiction, $4, $5 FROM events WHERE position = $6 RETURNING position`,
      [
        forged.eventId,
        forged.streamVersion,
        forged.idempotencyKey,
        Buffer.from(last.hash, 'hex'),
        forgedHash,
        last.position,
      ],
    );
    await su.query(`SET session_replication_role = origin`);

    const report = await verifyLog(db, signer);
    const found = (stream: string) =>
      report.findings
        .filter((f) => f.streamId === `credential-set-${stream}`)
        .map(({ kind, positions, versions }) => ({ kind, positions, versions }));
    expect(report.ok).toBe(false);
    expect(found('T1')).toEqual([{ kind: 'EVENT_ALTERED', positions: [p.payload], versions: [4] }]);
    expect(found('T2')).toEqual([{ kind: 'EVENT_ALTERED', positions: [p.actor], versions: [2] }]);
    expect(found('T3')).toEqual([{ kind: 'EVENT_ALTERED', positions: [p.time], versions: [3] }]);
    expect(found('T4')).toEqual([{ kind: 'EVENT_DELETED', positions: [p.deletedNext], versions: [2] }]);
    expect(found('T5')).toEqual([{ kind: 'EVENT_DELETED', positions: [], versions: [5] }]);
    expect(found('T6')).toEqual([{ kind: 'EVENTS_SWAPPED', positions: [p.swapA, p.swapB], versions: [3, 2] }]);
    expect(found('T7')).toEqual([{ kind: 'STREAM_DELETED', positions: [], versions: [1, 2, 3, 4, 5] }]);
    expect(found('T8')).toEqual([
      { kind: 'EVENT_INSERTED', positions: [Number(inserted.rows[0].position)], versions: [6] },
    ]);
    expect(report.findings.filter((f) => !/credential-set-T[1-8]$/.test(f.streamId ?? ''))).toEqual([]);
  });

  it('finds a rewrite that kept the chain and the stream head consistent, through the signed checkpoint', async () => {
    await store.append('credential-set-R1', lifecycle('R1'), { expectedVersion: 0, idempotencyKey: 'rewrite-R1' });
    await createCheckpoint(db, signer);
    await su.query(`SET session_replication_role = replica`);
    // Delete the newest event and make the head agree, as a forger who understands the chain would.
    await su.query(`DELETE FROM events WHERE stream_id = 'credential-set-R1' AND stream_version = 5`);
    await su.query(
      `UPDATE event_streams SET version = 4, head_hash = (SELECT hash FROM events WHERE stream_id = 'credential-set-R1' AND stream_version = 4)
        WHERE stream_id = 'credential-set-R1'`,
    );
    await su.query(`SET session_replication_role = origin`);
    const report = await verifyLog(db, signer, { streamId: 'credential-set-R1' });
    expect(report.findings.map(({ kind, versions }) => ({ kind, versions }))).toEqual([
      { kind: 'EVENT_DELETED', versions: [5] },
    ]);
  });

  it('refuses a checkpoint whose stream heads were edited', async () => {
    await su.query(`SET session_replication_role = replica`);
    await su.query(`UPDATE event_checkpoint_heads SET version = version + 1 WHERE stream_id = 'credential-set-R1'`);
    await su.query(`SET session_replication_role = origin`);
    const report = await verifyLog(db, signer, { streamId: 'credential-set-R1' });
    expect(report.findings.map((f) => f.kind)).toContain('CHECKPOINT_INVALID');
  });
});

async function endCursor(): Promise<Cursor> {
  let cursor = START;
  for (;;) {
    const page = await store.readPage(cursor, 5000);
    if (page.events.length === 0) return cursor;
    cursor = page.cursor;
  }
}

async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await su.query(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if (Number(rows[0].n) > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the slow append never blocked');
}

async function snapshot() {
  const sets = (await su.query(`SELECT * FROM credential_set_view ORDER BY stream_id`)).rows as Record<
    string,
    unknown
  >[];
  const parties = (await su.query(`SELECT * FROM party_view ORDER BY stream_id`)).rows as Record<string, unknown>[];
  return { sets, parties };
}
