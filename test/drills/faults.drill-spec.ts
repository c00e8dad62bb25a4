import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate, PostgresEventStore, verifyLog } from '@certflow/event-store';
import { workspaceRoot } from '@certflow/temporal-runtime';
import {
  actors,
  apiClient,
  components,
  expert,
  filedSet as fileSet,
  freePort,
  postgresProcess,
  rehearsalPolicy,
  retry,
  schemathesis,
  startSystem,
  writeSchemathesisConfig,
  type RealIds,
  uniqueId,
  type ApiResponse,
  type PostgresProcess,
  type System,
} from '@certflow/testing';
import type { DataSource } from 'typeorm';

// Fault drills on the running system: API and worker processes, a Temporal dev server on its SQLite
// file, and a PostgreSQL of the drills' own (so it can be stopped). Each drill asserts that nothing
// was lost, nothing duplicated, and the hash chain still verifies. Each drill names its parties with
// a prefix of its own (uniqueId), so the drills do not depend on their order.

let pg: PostgresProcess;
let db: DataSource;
let store: PostgresEventStore;
let system: System;

const { finance, contact } = actors;
const api = apiClient(() => system.api, finance);
const { http, ok } = api;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function openDb(): Promise<void> {
  db = await createDataSource(pg.url).initialize();
  store = new PostgresEventStore(db);
}

beforeAll(async () => {
  // A PostgreSQL of the drills' own, in a temp folder that afterAll removes.
  pg = postgresProcess({ port: await freePort() });
  await pg.start();
  await migrate(pg.url);
  await openDb();
  system = await startSystem({
    databaseUrl: pg.url,
    policy: rehearsalPolicy(14),
    env: { WORKER_LAUNCH_START_CONCURRENCY: '16' },
  });
});

/** Temp folders a drill made (schemathesis's reports), removed at the end whatever happened. */
const tempDirs: string[] = [];

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await pg?.remove();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** An expert with a set filed and ready to issue (setId = `<id>-a`). */
const filedSet = (id: string) => fileSet(api, id);

const types = async (setId: string) => (await store.readStreamToArray(`credential-set-${setId}`)).map((e) => e.type);
const count = async (sql: string, params: unknown[] = []) => (await db.query<[{ n: number }]>(sql, params))[0].n;
async function chainIsValid(): Promise<void> {
  const report = await verifyLog(db, null);
  expect(report).toMatchObject({ ok: true });
}

describe('the worker killed with SIGKILL', () => {
  it('during a bulk launch: the launch resumes, every party and set exists once, every workflow once', async () => {
    const L = uniqueId('L');
    const launchId = uniqueId('drill');
    const items = Array.from({ length: 1500 }, (_, n) => ({
      party: expert(`${L}-${n}`),
      setId: `${L}-${n}-a`,
      kind: 'NEW',
    }));
    const accepted = await http('POST', '/launches', { launchId, items });
    expect(accepted.status).toBe(202);
    // Kill it once the first chunk is done and the second is under way.
    await retry(
      async () => {
        const s = await ok('GET', `/launches/${launchId}`);
        if (s['launched'] < 500) throw new Error(`launched ${s['launched']}`);
      },
      180_000,
      100,
    );
    await system.killWorker('SIGKILL');
    await sleep(1000);
    await system.startWorker();
    const done = await retry(
      async () => {
        const s = await ok('GET', `/launches/${launchId}`);
        if (s['status'] !== 'COMPLETED') throw new Error(`launch ${s['status']}`);
        return s;
      },
      300_000,
      500,
    );
    expect(done).toMatchObject({ total: 1500, launched: 1500, refused: 0, pending: 0 });

    const streams = (kind: string) => `${kind}-${L}-%`;
    expect(await count(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1`, [streams('party')])).toBe(3000);
    expect(
      await count(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1`, [streams('credential-set')]),
    ).toBe(1500);
    expect(
      await count(`SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1 AND stream_version <> 1`, [
        streams('credential-set'),
      ]),
    ).toBe(0);
    // This drill's workflows only (workflow ids carry the party's prefix).
    const running = async (type: string) => {
      const kind = type === 'partyWorkflow' ? 'party' : 'credential-set';
      const query = `WorkflowType = '${type}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '${kind}-${L}-'`;
      return (await system.temporal.workflow.count(query)).count;
    };
    expect(await running('credentialSetWorkflow')).toBe(1500);
    // A launched party's workflow starts only when something first needs it.
    expect(await running('partyWorkflow')).toBe(0);
    // The launched sets take their next step like any other.
    await ok('POST', `/credential-sets/${L}-42-a/filing`, { decision: 'ACCEPT' });
    expect(await types(`${L}-42-a`)).toEqual(['CredentialSetApplied', 'FilingAccepted']);
    // The party, asked for, holds its one set; a second application is refused by the one-set rule.
    expect(await ok('GET', `/parties/${L}-7`)).toMatchObject({ openSets: [`${L}-7-a`] });
    expect(await http('POST', '/credential-sets', { setId: `${L}-7-b`, partyId: `${L}-7`, kind: 'NEW' })).toMatchObject(
      {
        status: 409,
        body: { rule: 'ONE_SET_PER_PARTY' },
      },
    );
    // A set that ended before its party had a workflow shows its slot free when the party is read;
    // the read starts nothing and appends nothing. The next write starts the party's workflow,
    // which records the close, and the party's next set opens.
    await ok('POST', `/credential-sets/${L}-8-a/revoke`, { reason: 'APPLICATION_WITHDRAWN' });
    expect(await ok('GET', `/parties/${L}-8`)).toMatchObject({ openSets: [] });
    expect(await running('partyWorkflow')).toBe(1);
    expect(await store.streamVersion(`party-${L}-8`)).toBe(2);
    await ok('POST', '/credential-sets', { setId: `${L}-8-b`, partyId: `${L}-8`, kind: 'NEW' });
    expect((await store.readStreamToArray(`party-${L}-8`)).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
      'CredentialSetClosed',
      'CredentialSetOpened',
    ]);
    expect(await running('partyWorkflow')).toBe(2);
    await chainIsValid();
  });

  it('during steps: every step sent completes once the worker is back, once', async () => {
    const K = uniqueId('K');
    const sets = await Promise.all(Array.from({ length: 12 }, (_, n) => filedSet(`${K}-${n}`)));
    const walking = Promise.all(
      sets.map(async (setId) => {
        await ok('POST', `/credential-sets/${setId}/issue`, components(setId));
        await ok('POST', `/credential-sets/${setId}/bind-new`, { platform: 'SUCAIYUN' }, contact);
      }),
    );
    await sleep(300);
    await system.killWorker('SIGKILL');
    await sleep(1500);
    await system.startWorker();
    await walking;
    for (const setId of sets) {
      expect(await types(setId)).toEqual([
        'CredentialSetApplied',
        'FilingAccepted',
        'CredentialSetIssued',
        'NewCredentialBound',
      ]);
    }
    await chainIsValid();
  });
});

describe('the same step twice', () => {
  it('sent concurrently without a key: one takes effect, the other is refused as already done', async () => {
    const setId = await filedSet(uniqueId('T1'));
    await ok('POST', `/credential-sets/${setId}/issue`, components(setId));
    const both = await Promise.all([
      http('POST', `/credential-sets/${setId}/bind-new`, { platform: 'SUCAIYUN' }, contact),
      http('POST', `/credential-sets/${setId}/bind-new`, { platform: 'SUCAIYUN' }, contact),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(both.find((r) => r.status === 409)?.body).toMatchObject({ rule: 'ALREADY_BOUND' });
    expect((await types(setId)).filter((t) => t === 'NewCredentialBound')).toHaveLength(1);
  });

  it('retried with the same Idempotency-Key, concurrently and later: the first answer every time, one effect', async () => {
    const setId = await filedSet(uniqueId('T2'));
    const headers = { 'Idempotency-Key': `drill-issue-${setId}` };
    const issue = components(setId); // the same body each time: another body is another request
    const send = () => http('POST', `/credential-sets/${setId}/issue`, issue, finance, { headers });
    const [a, b] = await Promise.all([send(), send()]);
    const c = await send();
    for (const r of [a, b, c]) expect(r.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect((await types(setId)).filter((t) => t === 'CredentialSetIssued')).toHaveLength(1);
    // The key with another body or on another route is refused, and nothing more is written.
    const log = await types(setId);
    const other = await http('POST', `/credential-sets/${setId}/issue`, components(`${setId}-2`), finance, { headers });
    const elsewhere = await http('POST', `/credential-sets/${setId}/revoke`, { reason: 'LOST' }, finance, { headers });
    for (const r of [other, elsewhere])
      expect(r).toMatchObject({ status: 422, body: { rule: 'IDEMPOTENCY_CONFLICT' } });
    expect(await types(setId)).toEqual(log);
    // A malformed key is refused before anything happens.
    const bad = await http('POST', `/credential-sets/${setId}/bind-new`, { platform: 'SUCAIYUN' }, contact, {
      headers: { 'Idempotency-Key': 'not a key!' },
    });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ path: 'Idempotency-Key' }] } });
    expect(await types(setId)).not.toContain('NewCredentialBound');
  });

  it('a party registered twice at once: one registration, both answered with it; other details are refused', async () => {
    const T3 = uniqueId('T3');
    const both = await Promise.all([http('POST', '/parties', expert(T3)), http('POST', '/parties', expert(T3))]);
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(both[1].body).toEqual(both[0].body);
    expect(await store.streamVersion(`party-${T3}`)).toBe(1);
    const T4 = uniqueId('T4');
    const other = { ...expert(T4), name: '另一位专家' };
    const two = await Promise.all([http('POST', '/parties', expert(T4)), http('POST', '/parties', other)]);
    expect(two.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(two.find((r) => r.status === 409)?.body).toMatchObject({ rule: 'PARTY_ALREADY_REGISTERED' });
    expect(await store.streamVersion(`party-${T4}`)).toBe(1);
  });
});

describe('the Temporal dev server stopped and started again on its SQLite file', () => {
  it('keeps the sets’ timers: each expiry fires after the restart, once; the API answers 503 meanwhile', async () => {
    const sets = await Promise.all(Array.from({ length: 8 }, (_, n) => filedSet(`${uniqueId('E')}-${n}`)));
    const expiresIn = 20_000;
    const issuedAt = Date.now();
    await Promise.all(sets.map((s) => ok('POST', `/credential-sets/${s}/issue`, components(s, expiresIn))));
    await system.stopTemporal();
    const whileDown = await http('GET', `/credential-sets/${sets[0]}?consistency=strong`);
    expectUnavailable(whileDown);
    await sleep(Math.max(0, issuedAt + expiresIn + 3000 - Date.now()));
    await system.startTemporal();
    await retry(
      async () => {
        for (const s of sets)
          if (!(await types(s)).includes('CredentialSetExpired')) throw new Error(`${s} not expired`);
      },
      120_000,
      500,
    );
    await sleep(3000);
    for (const s of sets) {
      const t = await types(s);
      expect(t.filter((x) => x === 'CredentialSetExpired')).toHaveLength(1);
      expect(t).toEqual(['CredentialSetApplied', 'FilingAccepted', 'CredentialSetIssued', 'CredentialSetExpired']);
    }
    expect((await ok('GET', `/credential-sets/${sets[0]}?consistency=strong`))['state']).toMatchObject({
      status: 'EXPIRED',
    });
    await chainIsValid();
  });
});

describe('PostgreSQL stopped for 30 s while steps are taken', () => {
  it('holds the steps until it is back (activities retry), and answers 503 with a problem, never 500', async () => {
    const sets = await Promise.all(Array.from({ length: 8 }, (_, n) => filedSet(`${uniqueId('P')}-${n}`)));
    await Promise.all(sets.map((s) => ok('POST', `/credential-sets/${s}/issue`, components(s))));
    await db.destroy();
    await pg.stop();
    const stoppedAt = Date.now();

    const steps = Promise.all(
      sets.map((s) => http('POST', `/credential-sets/${s}/bind-new`, { platform: 'SUCAIYUN' }, contact)),
    );
    const seen: number[] = [];
    while (Date.now() - stoppedAt < 30_000) {
      for (const path of ['/credential-sets', `/credential-sets/${sets[0]}/history`, '/fee-statements', '/ready']) {
        const r = await http('GET', path);
        seen.push(r.status);
        if (path !== '/ready') expectUnavailable(r);
        else expect(r.status).toBe(503);
      }
      await sleep(2000);
    }
    expect(seen).not.toContain(500);
    await pg.start();
    await openDb();

    const answers = await steps;
    expect(answers.map((r) => r.status)).toEqual(sets.map(() => 200));
    for (const s of sets) {
      expect(await types(s)).toEqual([
        'CredentialSetApplied',
        'FilingAccepted',
        'CredentialSetIssued',
        'NewCredentialBound',
      ]);
    }
    await retry(async () => expect((await http('GET', '/credential-sets')).status).toBe(200), 30_000);
    await chainIsValid();
  });
});

/** The demo data (tools/demo-seed.mjs), a submitted filing and a launch: the ids schemathesis fills in. */
async function seedDemo(): Promise<RealIds> {
  // Not spawnSync: a blocked event loop misses the API closing idle keep-alive sockets, and the next
  // request would go out on one the server has already closed ("other side closed").
  const seeded = await promisify(execFile)(
    process.execPath,
    [path.join(workspaceRoot(), 'tools/demo-seed.mjs'), system.api],
    { encoding: 'utf8', timeout: 120_000 },
  ).then(
    ({ stdout, stderr }) => ({ status: 0, output: stdout + stderr }),
    (e: { code?: unknown; stdout?: string; stderr?: string }) => ({ status: e.code, output: `${e.stdout}${e.stderr}` }),
  );
  expect(seeded).toMatchObject({ status: 0 });
  const filingId = uniqueId('st-filing');
  await ok('POST', '/parties/wujin-edu/filings', { filingId, additionalSets: 1, reason: '两个业务科室分别使用' }, [
    'li-supervisor',
    'SUPERVISING_UNIT',
  ]);
  const launchId = uniqueId('st-launch');
  const L = uniqueId('st');
  expect(
    (await http('POST', '/launches', { launchId, items: [{ party: expert(L), setId: `${L}-a`, kind: 'NEW' }] })).status,
  ).toBe(202);
  // The lists are projections: wait until they show the demo's parties and sets. Filtered by the
  // demo's jurisdictions: a list holds at most 1,000 rows, and the launch drill's 1,500 parties
  // (in tianning) would fill it.
  const list = async <T>(route: string) =>
    (
      await Promise.all(
        ['wujin', 'changzhou'].map(async (j) => (await ok('GET', `${route}?jurisdiction=${j}`)) as unknown as T[]),
      )
    ).flat();
  const [parties, sets] = await retry(async () => {
    const p = await list<{ partyId: string }>('/parties');
    const s = await list<{ setId: string }>('/credential-sets');
    if (!p.some((x) => x.partyId === 'wujin-edu') || !s.some((x) => x.setId === 'wujin-edu-1'))
      throw new Error('not yet');
    return [p, s] as const;
  }, 30_000);
  return {
    partyIds: parties.map((x) => x.partyId).slice(0, 40),
    setIds: sets.map((x) => x.setId).slice(0, 40),
    filingIds: [filingId],
    launchIds: [launchId],
    platforms: ['SUCAIYUN', 'CZ_PROCUREMENT'],
    jurisdictions: ['wujin', 'changzhou', 'tianning'],
  };
}

describe('schemathesis against the API’s own OpenAPI document', () => {
  it('with real ids from the demo data reaches the step bodies, finds no 5xx and no hang; every 4xx names its rule', async () => {
    const st = schemathesis();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'certflow-st-'));
    tempDirs.push(dir);
    const ids = await seedDemo();
    const config = writeSchemathesisConfig(dir, ids);
    const har = path.join(dir, 'run.har');
    const examples = process.env['SCHEMATHESIS_MAX_EXAMPLES'] ?? '15';
    const run = spawnSync(
      st.command,
      [
        '--config-file',
        config,
        'run',
        `${system.api}/docs/openapi.json`,
        '--checks',
        'not_a_server_error',
        '--max-examples',
        examples,
        '--workers',
        '2',
        // A request unanswered for 30 s is a hang: it fails the run.
        '--request-timeout',
        '30',
        '-H',
        'X-Actor-Id: st',
        '-H',
        'X-Actor-Role: FINANCE_STAFF',
        '--report',
        'har',
        '--report-har-path',
        har,
      ],
      // Its cache and reports stay out of the checkout.
      { env: st.env, encoding: 'utf8', timeout: 900_000, cwd: path.dirname(har) },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    const entries = (
      JSON.parse(readFileSync(har, 'utf8')) as {
        log: {
          entries: {
            request: { method: string; url: string };
            response: { status: number; content: { mimeType?: string; text?: string } };
          }[];
        };
      }
    ).log.entries;
    const statuses = entries.map((e) => e.response.status);
    // Requests on a real set or party that got past 404: the step bodies were reached.
    const real = new RegExp(
      `/(credential-sets|parties)/(${[...ids.setIds, ...ids.partyIds].map(escape).join('|')})(/|$)`,
    );
    const reached = entries.filter(
      (e) => e.request.method === 'POST' && real.test(e.request.url) && e.response.status !== 404,
    );
    process.stdout.write(
      `schemathesis ${examples} examples/operation: ${entries.length} requests, ` +
        `${statuses.filter((s) => s < 400).length} 2xx/3xx, ${statuses.filter((s) => s >= 400 && s < 500).length} 4xx, ` +
        `${statuses.filter((s) => s >= 500).length} 5xx; ${reached.length} steps on real sets and parties past 404\n`,
    );
    const phases = output
      .split('\n')
      .filter((l) => /^\s*(✅|❌|⏭|🚫)?\s*(Examples|Coverage|Fuzzing|Stateful|API Probing) \(in /.test(l));
    process.stdout.write(`${[...new Set(phases.map((l) => l.trim()))].join('\n')}\n`);
    expect(entries.length).toBeGreaterThan(100);
    expect(reached.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    for (const e of entries.filter((x) => x.response.status >= 400)) {
      expect(e.response.content.mimeType).toMatch(/application\/problem\+json/);
      const body = JSON.parse(e.response.content.text ?? '{}') as { rule?: string; detail?: string };
      expect(typeof body.rule === 'string' && body.rule.length > 0).toBe(true);
      expect(typeof body.detail === 'string' && body.detail.length > 0).toBe(true);
    }
    expect(output).not.toMatch(/timed out|ReadTimeout/i);
    expect({ status: run.status, output: output.slice(-3000) }).toMatchObject({ status: 0 });
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectUnavailable(r: ApiResponse): void {
  expect({ status: r.status, type: r.type }).toEqual({
    status: 503,
    type: expect.stringContaining('application/problem+json'),
  });
  expect(r.body).toMatchObject({ status: 503, rule: 'UNAVAILABLE' });
}
