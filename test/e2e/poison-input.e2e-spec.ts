import { createDataSource, migrate } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import {
  actors,
  apiClient,
  budgetUnit,
  oldCredential,
  rehearsalPolicy,
  startSystem,
  uniqueId,
  type ApiResponse,
  type System,
} from '@certflow/testing';

// Poison input against the running system: every refusal is a 4xx naming the field and the rule,
// nothing reaches Temporal or PostgreSQL (event and workflow counts unchanged), and the same party
// or set then takes its next valid step at once. The body limit is small here so 413 is cheap.
let database: TestDatabase;
let db: DataSource;
let system: System;

const { finance, supervisor } = actors;

beforeAll(async () => {
  database = await createTestDatabase('e2e_poison');
  await migrate(database.url);
  db = await createDataSource(database.url).initialize();
  system = await startSystem({
    databaseUrl: database.url,
    policy: rehearsalPolicy(14),
    env: { API_BODY_LIMIT: '64kb' },
  });
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await database?.drop();
});

const { http, ok } = apiClient(() => system.api, finance);

async function counts() {
  const [{ n }] = await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM events`);
  let workflows = 0;
  for await (const _ of system.temporal.workflow.list()) workflows += 1;
  return { events: n, workflows };
}

/** Sends the poison, expects its status, rule and path, and that nothing was written or started. */
async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, path?: string) {
  const before = await counts();
  const started = Date.now();
  const r = await send();
  expect(Date.now() - started).toBeLessThan(5_000);
  expect({ status: r.status, rule: r.body['rule'] }).toEqual({ status, rule });
  expect(r.type).toContain('application/problem+json');
  if (path !== undefined) expect(r.body['errors']).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  expect(await counts()).toEqual(before);
  return r;
}

const POISON = ['a\u0000b', 'a\ud800b', 'a\udc00', 'a\u0007b', 'a\u009bb'];
const BAD_IDS = ['a b', 'a#b', '证书', '_a', '__proto__', '-a', 'x'.repeat(129)];

describe('poison text in step bodies', () => {
  it('refuses NUL, lone surrogates and control characters by path; the same party and set then step on', async () => {
    const bu = uniqueId('bu');
    for (const bad of POISON) {
      await refused(() => http('POST', '/parties', { ...budgetUnit(bu), name: bad }), 400, 'INVALID_FIELD', 'name');
      await refused(
        () => http('POST', '/parties', { ...budgetUnit(bu), contact: { name: bad, phone: '0519-85681829' } }),
        400,
        'INVALID_FIELD',
        'contact.name',
      );
    }
    await ok('POST', '/parties', budgetUnit(bu));

    const setId = `${bu}-a`;
    const apply = (serial: string) => ({
      setId,
      partyId: bu,
      kind: 'REPLACEMENT',
      oldCredential: oldCredential(serial),
    });
    for (const bad of POISON) {
      await refused(
        () => http('POST', '/credential-sets', apply(`GX-OLD-${bad}`), supervisor),
        400,
        'INVALID_FIELD',
        'oldCredential.serial',
      );
    }
    await ok('POST', '/credential-sets', apply(`GX-OLD-${bu}`), supervisor);
    await ok('POST', `/credential-sets/${setId}/collect`, undefined, supervisor);

    for (const bad of POISON) {
      await refused(
        () => http('POST', `/credential-sets/${setId}/filing`, { decision: 'REJECT', reason: bad }),
        400,
        'INVALID_FIELD',
        'reason',
      );
    }
    const filed = await ok('POST', `/credential-sets/${setId}/filing`, { decision: 'ACCEPT' });
    expect(filed['state']).toBeDefined();

    // Launch items are named by index.
    const item = { party: budgetUnit(uniqueId('bu')), setId: uniqueId('set'), kind: 'NEW' };
    const r = await refused(
      () => http('POST', '/launches', { items: [item, { ...item, party: { ...item.party, name: 'x\u0000' } }] }),
      400,
      'INVALID_FIELD',
      'items[1].party.name',
    );
    expect(r.body['errors']).toHaveLength(1);
  });

  it('refuses text rules in query parameters and the path too', async () => {
    await refused(() => http('GET', '/credential-sets/abc?asOf=%00'), 400, 'INVALID_FIELD', 'asOf');
    await refused(() => http('GET', '/credential-sets/abc?asOf=%07'), 400, 'INVALID_FIELD', 'asOf');
    await refused(() => http('GET', '/parties/a%01b'), 400, 'INVALID_FIELD', 'path');
  });
});

describe('ids outside the stream-id grammar', () => {
  it('are refused in every id field of a body and every id path parameter; the party then steps on', async () => {
    const bu = uniqueId('bu');
    await ok('POST', '/parties', budgetUnit(bu));
    for (const bad of BAD_IDS) {
      const at = encodeURIComponent(bad);
      await refused(() => http('POST', '/parties', budgetUnit(bad)), 400, 'INVALID_FIELD', 'partyId');
      await refused(
        () => http('POST', '/parties', { ...budgetUnit(uniqueId('bu')), supervisingUnitId: bad }),
        400,
        'INVALID_FIELD',
        'supervisingUnitId',
      );
      await refused(
        () => http('POST', '/credential-sets', { setId: bad, partyId: bu, kind: 'NEW' }, supervisor),
        400,
        'INVALID_FIELD',
        'setId',
      );
      await refused(
        () => http('POST', '/credential-sets', { partyId: bad, kind: 'NEW' }, supervisor),
        400,
        'INVALID_FIELD',
        'partyId',
      );
      await refused(
        () => http('POST', `/parties/${bu}/filings`, { filingId: bad, additionalSets: 1, reason: 'r' }, supervisor),
        400,
        'INVALID_FIELD',
        'filingId',
      );
      await refused(
        () => http('POST', '/launches', { items: [{ party: budgetUnit(bad), setId: uniqueId('s'), kind: 'NEW' }] }),
        400,
        'INVALID_FIELD',
        'items[0].party.partyId',
      );
      await refused(
        () => http('POST', '/launches', { items: [{ party: budgetUnit(uniqueId('bu')), setId: bad, kind: 'NEW' }] }),
        400,
        'INVALID_FIELD',
        'items[0].setId',
      );
      await refused(() => http('GET', `/parties/${at}`), 400, 'INVALID_FIELD', 'partyId');
      await refused(() => http('POST', `/credential-sets/${at}/collect`), 400, 'INVALID_FIELD', 'setId');
      await refused(() => http('GET', `/launches/${at}`), 400, 'INVALID_FIELD', 'launchId');
      await refused(
        () => http('POST', `/parties/${bu}/filings/${at}/decision`, { decision: 'ACCEPT' }),
        400,
        'INVALID_FIELD',
        'filingId',
      );
    }
    await ok('POST', `/parties/${bu}/filings`, { filingId: 'f-1', additionalSets: 1, reason: 'r' }, supervisor);
    await ok('POST', `/parties/${bu}/filings/f-1/decision`, { decision: 'ACCEPT' });
    await ok('POST', '/credential-sets', { setId: `${bu}-a`, partyId: bu, kind: 'NEW' }, supervisor);
  });
});

describe('bodies the parser refuses', () => {
  it('answers 400 to deep nesting, 413 over the body limit, 415 to another charset; then steps on', async () => {
    const bu = uniqueId('bu');
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    const r = await refused(() => http('POST', '/parties', undefined, finance, { raw: deep }), 400, 'INVALID_FIELD');
    expect(r.body['errors'][0].rule).toMatch(/nest/);
    await refused(
      () => http('POST', '/parties', undefined, finance, { raw: '{"partyId": ' }),
      400,
      'MALFORMED_REQUEST',
    );
    const big = JSON.stringify({ ...budgetUnit(bu), name: 'x'.repeat(100_000) });
    await refused(() => http('POST', '/parties', undefined, finance, { raw: big }), 413, 'PAYLOAD_TOO_LARGE');
    await refused(
      () =>
        http('POST', '/parties', budgetUnit(bu), finance, {
          headers: { 'content-type': 'application/json; charset=latin9' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await ok('POST', '/parties', budgetUnit(bu));
  });
});
