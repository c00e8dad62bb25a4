import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate } from '@certflow/event-store';
import { launchIdFromKey } from '@certflow/idempotency';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import {
  actors,
  apiClient,
  components,
  counts,
  expert,
  filedSet,
  rehearsalPolicy,
  retry,
  startSystem,
  uniqueId,
  type ActorHeader,
  type System,
} from '@certflow/testing';

// Idempotency-Key across workflow runs and API restarts, against the running system: the key's
// first answer is kept in PostgreSQL, so a retry gets it again (marked Idempotency-Replayed) and
// takes effect once, also after the set continued as new or the API process was restarted; the
// same key with another body or on another route is refused 422 IDEMPOTENCY_CONFLICT.
let database: TestDatabase;
let db: DataSource;
let system: System;

const { finance, supervisor } = actors;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase('e2e_idempotency');
  await migrate(database.url);
  db = await createDataSource(database.url).initialize();
  system = await startSystem({ databaseUrl: database.url, policy: rehearsalPolicy(14) });
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await database?.drop();
});

const api = apiClient(() => system.api, finance);

interface Answer {
  readonly status: number;
  readonly replayed: boolean;
  readonly type: string;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked field by field
  readonly body: Record<string, any>;
}

/** A POST with an Idempotency-Key; the answer with its raw text and whether it was a replay. */
async function send(path: string, body: unknown, key: string | null, actor: ActorHeader = finance): Promise<Answer> {
  const res = await fetch(`${system.api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-actor-id': actor[0],
      'x-actor-role': actor[1],
      ...(key === null ? {} : { 'idempotency-key': key }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    replayed: res.headers.get('idempotency-replayed') === 'true',
    type: res.headers.get('content-type') ?? '',
    text,
    body: text ? (JSON.parse(text) as Answer['body']) : {},
  };
}

/** The same answer as the first, sent again: status and body byte for byte, marked as a replay. */
function expectReplayOf(again: Answer, first: Answer): void {
  expect(first.replayed).toBe(false);
  expect({ status: again.status, replayed: again.replayed, text: again.text }).toEqual({
    status: first.status,
    replayed: true,
    text: first.text,
  });
}

const types = async (streamId: string) =>
  (
    await db.query<{ type: string }[]>(
      `SELECT event_type AS type FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    )
  ).map((e) => e.type);

const setsOfParty = async (partyId: string) =>
  (
    await db.query<{ n: number }[]>(
      `SELECT count(DISTINCT stream_id)::int AS n FROM events WHERE stream_id LIKE 'credential-set-%' AND party_id = $1`,
      [partyId],
    )
  )[0]!.n;

const runIdOf = async (setId: string) =>
  (await system.temporal.workflow.getHandle(`credential-set-${setId}`).describe()).runId;

describe('a retried step after the set continued as new', () => {
  it('gets the first answer and takes effect once (a renewal continues the set as new)', async () => {
    const setId = await filedSet(api, uniqueId('can'));
    const issue = components(setId, 20 * DAY_MS); // renewal opens 30 days before expiry: at once
    const [issueKey, renewKey] = [uniqueId('issue'), uniqueId('renew')];
    const issued = await send(`/credential-sets/${setId}/issue`, issue, issueKey);
    expect(issued.status).toBe(200);
    const run = await runIdOf(setId);
    const renewed = await send(`/credential-sets/${setId}/renew`, undefined, renewKey);
    expect(renewed.status).toBe(200);
    await retry(async () => expect(await runIdOf(setId)).not.toBe(run), 30_000, 200);

    expectReplayOf(await send(`/credential-sets/${setId}/issue`, issue, issueKey), issued);
    expectReplayOf(await send(`/credential-sets/${setId}/renew`, undefined, renewKey), renewed);
    const log = await types(`credential-set-${setId}`);
    expect(log.filter((t) => t === 'CredentialSetIssued')).toHaveLength(1);
    expect(log.filter((t) => t === 'CredentialSetRenewed')).toHaveLength(1);
  });
});

describe('register, apply, launch and a step retried after the API was restarted', () => {
  it('get their first answers and take effect once; apply and launch derive their ids from the key', async () => {
    const p = uniqueId('restart');
    const L = uniqueId('launch');
    const keys = { register: uniqueId('k'), apply: uniqueId('k'), launch: uniqueId('k'), filing: uniqueId('k') };
    const launchBody = {
      items: [0, 1].map((n) => ({ party: expert(`${L}-${n}`), setId: `${L}-${n}-a`, kind: 'NEW' })),
    };
    const register = await send('/parties', expert(p), keys.register);
    const apply = await send('/credential-sets', { partyId: p, kind: 'NEW' }, keys.apply);
    const setId = apply.body['state']['setId'] as string;
    const filing = await send(`/credential-sets/${setId}/filing`, { decision: 'ACCEPT' }, keys.filing);
    const launch = await send('/launches', launchBody, keys.launch);
    expect([register.status, apply.status, filing.status, launch.status]).toEqual([201, 201, 200, 202]);
    expect(setId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(launch.body['launchId']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-/);

    await system.killApi('SIGKILL');
    await system.startApi();

    expectReplayOf(await send('/parties', expert(p), keys.register), register);
    expectReplayOf(await send('/credential-sets', { partyId: p, kind: 'NEW' }, keys.apply), apply);
    expectReplayOf(await send(`/credential-sets/${setId}/filing`, { decision: 'ACCEPT' }, keys.filing), filing);
    expectReplayOf(await send('/launches', launchBody, keys.launch), launch);
    expect(await types(`party-${p}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
    expect(await setsOfParty(p)).toBe(1);
    expect((await types(`credential-set-${setId}`)).filter((t) => t === 'FilingAccepted')).toHaveLength(1);
    const launches = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM launches WHERE launch_id = $1`, [
      launch.body['launchId'],
    ]);
    expect(launches[0]!.n).toBe(1);
  });
});

describe('a launch crashed between storing its list and starting its workflow', () => {
  it.each([
    ['with the same key', true],
    ['without a key or id (its id derives from the request)', false],
  ])('is started once by the retry %s after the API restarts', async (_, keyed) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-idempotency-'));
    const marker = path.join(dir, 'failpoint');
    try {
      const L = uniqueId('crash');
      const items = [0, 1].map((n) => ({ party: expert(`${L}-${n}`), setId: `${L}-${n}-a`, kind: 'NEW' }));
      const body = { items };
      const key = keyed ? uniqueId('k') : null;
      await system.killApi('SIGINT');
      await system.startApi({ CERTFLOW_FAILPOINT: 'launch.after-save', CERTFLOW_FAILPOINT_MARKER: marker });
      const crashed = await send('/launches', body, key).catch((e: unknown) => e);
      await system.apiExited();
      expect(String(crashed)).toMatch(/fetch failed/); // the connection dropped: no answer
      expect(readFileSync(marker, 'utf8')).toMatch(/^launch\.after-save /);
      // The one launch stored with these items: its id is the key's, or the request's own.
      const stored = await db.query<{ launch_id: string }[]>(
        `SELECT DISTINCT launch_id FROM launch_items WHERE party_id LIKE $1`,
        [`${L}-%`],
      );
      expect(stored).toHaveLength(1);
      const launchId = stored[0]!.launch_id;
      if (key !== null) expect(launchId).toBe(launchIdFromKey(key));
      const runs = async () => (await system.temporal.workflow.count(`WorkflowId = 'launch-${launchId}'`)).count;
      expect(await runs()).toBe(0);

      await system.startApi();
      // A dead keyed attempt still holds the key: the retry waits out its lease, then takes it over.
      const retried = await send('/launches', body, key);
      expect(retried).toMatchObject({ status: 202, replayed: false, body: { launchId, total: 2 } });
      const done = await retry(
        async () => {
          const s = await api.ok('GET', `/launches/${launchId}`);
          if (s['status'] !== 'COMPLETED') throw new Error(`launch ${s['status']}`);
          return s;
        },
        60_000,
        300,
      );
      expect(done).toMatchObject({ launched: 2, refused: 0, pending: 0 });
      expect(await runs()).toBe(1);
      if (key !== null) expectReplayOf(await send('/launches', body, key), retried);
      else expect(await send('/launches', body, null)).toMatchObject({ status: 202, body: { launchId, launched: 2 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the same key for another request', () => {
  it('is refused 422 IDEMPOTENCY_CONFLICT with another body or on another route, and writes nothing', async () => {
    const setId = await filedSet(api, uniqueId('conflict'));
    const key = uniqueId('k');
    const first = await send(`/credential-sets/${setId}/issue`, components(setId), key);
    expect(first.status).toBe(200);
    const before = await counts(db, system.temporal);
    for (const [path, body] of [
      [`/credential-sets/${setId}/issue`, components(`${setId}-other`)],
      [`/credential-sets/${setId}/revoke`, { reason: 'LOST' }],
      ['/parties', expert(uniqueId('other'))],
    ] as const) {
      const r = await send(path, body, key);
      expect({ status: r.status, rule: r.body['rule'], errors: r.body['errors'] }).toEqual({
        status: 422,
        rule: 'IDEMPOTENCY_CONFLICT',
        errors: [{ path: 'Idempotency-Key', rule: 'IDEMPOTENCY_CONFLICT' }],
      });
      expect(r.type).toContain('application/problem+json');
    }
    // Another actor with the key is another request too.
    expect((await send(`/credential-sets/${setId}/issue`, components(setId), key, supervisor)).status).toBe(422);
    expect(await counts(db, system.temporal)).toEqual(before);
  });
});

describe('concurrent requests with the same key', () => {
  it('take effect once; each gets the one answer, all but one as replays', async () => {
    const p = uniqueId('conc');
    const registers = await Promise.all(Array.from({ length: 5 }, () => send('/parties', expert(p), `reg-${p}`)));
    const applies = await Promise.all(
      Array.from({ length: 5 }, () => send('/credential-sets', { partyId: p, kind: 'NEW' }, `apply-${p}`)),
    );
    const setId = applies[0]!.body['state']['setId'] as string;
    const files = await Promise.all(
      Array.from({ length: 5 }, () => send(`/credential-sets/${setId}/filing`, { decision: 'ACCEPT' }, `file-${p}`)),
    );
    for (const [answers, status] of [
      [registers, 201],
      [applies, 201],
      [files, 200],
    ] as const) {
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(status));
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    }
    expect(await types(`party-${p}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
    expect(await setsOfParty(p)).toBe(1);
    expect((await types(`credential-set-${setId}`)).filter((t) => t === 'FilingAccepted')).toHaveLength(1);
  });
});

describe('what is kept and what is refused at once', () => {
  it('does not keep a refusal that may change (409): the same key takes effect once the step is in order', async () => {
    const p = uniqueId('order');
    await api.ok('POST', '/parties', expert(p));
    await api.ok('POST', '/credential-sets', { setId: `${p}-a`, partyId: p, kind: 'NEW' });
    const key = uniqueId('k');
    const body = components(`${p}-a`);
    const early = await send(`/credential-sets/${p}-a/issue`, body, key);
    expect({ status: early.status, rule: early.body['rule'] }).toEqual({ status: 409, rule: 'STEP_OUT_OF_ORDER' });
    await api.ok('POST', `/credential-sets/${p}-a/filing`, { decision: 'ACCEPT' });
    const issued = await send(`/credential-sets/${p}-a/issue`, body, key);
    expect(issued).toMatchObject({ status: 200, replayed: false });
    expectReplayOf(await send(`/credential-sets/${p}-a/issue`, body, key), issued);
  });

  it('keeps a refusal of the request itself (400) and answers it again', async () => {
    const key = uniqueId('k');
    const bad = { items: [{ party: expert(uniqueId('bad')), setId: uniqueId('bad'), kind: 'BOGUS' }] };
    const first = await send('/launches', bad, key);
    expect(first.status).toBe(400);
    const again = await send('/launches', bad, key);
    expectReplayOf(again, first);
    expect(again.type).toContain('application/problem+json');
  });

  it('refuses an apply with neither setId nor key, and a malformed key, naming the field; nothing is written', async () => {
    const p = uniqueId('noid');
    await api.ok('POST', '/parties', expert(p));
    const before = await counts(db, system.temporal);
    const noId = await send('/credential-sets', { partyId: p, kind: 'NEW' }, null);
    expect({ status: noId.status, errors: noId.body['errors'] }).toEqual({
      status: 400,
      errors: [expect.objectContaining({ path: 'setId' })],
    });
    for (const key of ['not a key!', 'x'.repeat(129), '_leading']) {
      const r = await send('/credential-sets', { partyId: p, kind: 'NEW' }, key);
      expect({ status: r.status, errors: r.body['errors'] }).toEqual({
        status: 400,
        errors: [expect.objectContaining({ path: 'Idempotency-Key' })],
      });
    }
    expect(await counts(db, system.temporal)).toEqual(before);
  });
});

describe('the OpenAPI document', () => {
  it('names the Idempotency-Key header and its 422 on every route that changes something, and on no read', async () => {
    const doc = await api.ok('GET', '/docs/openapi.json');
    const paths = doc['paths'] as Record<
      string,
      Record<
        string,
        { parameters?: { name: string; in: string }[]; responses: Record<string, { description: string }> }
      >
    >;
    const keyed = (op: { parameters?: { name: string; in: string }[] }) =>
      (op.parameters ?? []).some((x) => x.in === 'header' && x.name === 'Idempotency-Key');
    for (const [path, item] of Object.entries(paths)) {
      if (item['post']) {
        expect([path, keyed(item['post'])]).toEqual([path, true]);
        expect(item['post'].responses['422']?.description).toContain('IDEMPOTENCY_CONFLICT');
        // ... beside the route's own success answer.
        expect([path, Object.keys(item['post'].responses).some((s) => /^2\d\d$/.test(s))]).toEqual([path, true]);
      }
      if (item['get']) expect([path, keyed(item['get'])]).toEqual([path, false]);
    }
  });
});
