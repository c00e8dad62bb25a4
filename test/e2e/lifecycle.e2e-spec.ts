import { addDays, localDateOf, loadPolicy, rebasePolicy } from '@certflow/domain';
import { createDataSource, migrate, PostgresEventStore, verifyLog } from '@certflow/event-store';
import changzhou from '@certflow/policies/changzhou-2023.json';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import type { DataSource } from 'typeorm';
import { apiClient, startSystem, type System } from '@certflow/temporal/testing';

// The running system over HTTP: real API and worker processes, a Temporal dev server, PostgreSQL.
// Real time here, so the rehearsal is placed with today inside the transition window, and every day
// counts as a workday (a weekend run must not make the supplier's window refuse).
let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let system: System;

const finance = ['zhang', 'FINANCE_STAFF'] as const;
const supervisor = ['li', 'SUPERVISING_UNIT'] as const;
const window = ['gu', 'SERVICE_WINDOW'] as const;
const contact = ['contact', 'PARTY'] as const;

beforeAll(async () => {
  database = await createTestDatabase('e2e');
  await migrate(database.url);
  db = await createDataSource(database.url).initialize();
  store = new PostgresEventStore(db);
  const raw = JSON.parse(JSON.stringify(changzhou)) as {
    workdays: { weekdays: number[]; holidays: string[]; adjustedWorkdays: string[] };
  };
  raw.workdays = { weekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [], adjustedWorkdays: [] };
  const historic = loadPolicy(raw);
  const policy = rebasePolicy(historic, addDays(localDateOf(Date.now(), historic.timeZone), -14));
  system = await startSystem({ databaseUrl: database.url, policy });
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await database?.drop();
});

const { http, ok } = apiClient(() => system.api, finance);

const year = (days = 360) => {
  const now = Date.now();
  return { validFrom: new Date(now).toISOString(), validUntil: new Date(now + days * 86_400_000).toISOString() };
};
const components = (id: string) => ({
  ca: { serial: `CA-${id}`, issuer: '江苏省电子政务证书认证中心', ...year() },
  seal: { serial: `SEAL-${id}`, issuer: '方正国际软件(北京)有限公司', ...year() },
});

async function counts() {
  const [{ n }] = await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM events`);
  let workflows = 0;
  for await (const _ of system.temporal.workflow.list()) workflows += 1;
  return { events: n, workflows };
}

describe('three parties through their lifecycles over HTTP', () => {
  it('drives a budget unit, a supplier and an expert, surviving a worker killed with SIGKILL', async () => {
    await ok('POST', '/parties', {
      partyId: 'bu-1',
      partyType: 'BUDGET_UNIT',
      name: '常州市武进区教育局',
      jurisdiction: 'wujin',
      identifier: '113204120141863027',
      supervisingUnitId: 'wujin-gov',
      contact: { name: '王芳', phone: '0519-85681829' },
    });
    await ok(
      'POST',
      '/parties',
      {
        partyId: 'sup-1',
        partyType: 'FRAMEWORK_SUPPLIER',
        name: '常州某某办公设备有限公司',
        jurisdiction: 'changzhou',
        identifier: '91320400MA1MXK7J1B',
        contact: { name: '陈', phone: '13912345678' },
      },
      window,
    );
    await ok('POST', '/parties', {
      partyId: 'exp-1',
      partyType: 'EVALUATION_EXPERT',
      name: '赵某',
      jurisdiction: 'tianning',
      identifier: '320402198001011234',
      contact: { name: '赵某', phone: '13812345678' },
    });

    // Budget unit: replacement through its supervising unit.
    await ok(
      'POST',
      '/credential-sets',
      {
        setId: 'bu-1-a',
        partyId: 'bu-1',
        kind: 'REPLACEMENT',
        oldCredential: {
          serial: 'GX-OLD-1',
          validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
          boundPlatforms: ['SUCAIYUN'],
        },
      },
      supervisor,
    );
    await ok('POST', '/credential-sets/bu-1-a/collect', undefined, supervisor);
    await ok('POST', '/credential-sets/bu-1-a/filing', { decision: 'ACCEPT' });

    // The worker dies mid-lifecycle; a step sent meanwhile waits, and completes once it is back.
    await system.killWorker('SIGKILL');
    const issuing = ok('POST', '/credential-sets/bu-1-a/issue', components('bu-1-a'));
    await new Promise((r) => setTimeout(r, 1500));
    await system.startWorker();
    const issued = await issuing;
    expect(issued.state.status).toBe('ISSUED');
    await ok('POST', '/credential-sets/bu-1-a/unbind-old', { platform: 'SUCAIYUN' }, contact);
    await ok('POST', '/credential-sets/bu-1-a/bind-new', { platform: 'SUCAIYUN' }, contact);

    // Supplier: new set at the service window, paid by the supplier.
    await ok('POST', '/credential-sets', { setId: 'sup-1-a', partyId: 'sup-1', kind: 'NEW' }, window);
    await ok('POST', '/credential-sets/sup-1-a/filing', { decision: 'ACCEPT' }, window);
    await ok('POST', '/credential-sets/sup-1-a/issue', components('sup-1-a'), window);
    await ok('POST', '/credential-sets/sup-1-a/bind-new', { platform: 'SUCAIYUN' }, contact);

    // Expert: first set paid by finance, then lost and reissued (paid by the expert), then bound again.
    await ok('POST', '/credential-sets', { setId: 'exp-1-a', partyId: 'exp-1', kind: 'NEW' });
    await ok('POST', '/credential-sets/exp-1-a/filing', { decision: 'ACCEPT' });
    await ok('POST', '/credential-sets/exp-1-a/issue', components('exp-1-a'));
    await ok('POST', '/credential-sets/exp-1-a/bind-new', { platform: 'SUCAIYUN' }, contact);
    await ok('POST', '/credential-sets/exp-1-a/reissue', { reason: 'LOST', ...components('exp-1-a-r') });
    await ok('POST', '/credential-sets/exp-1-a/bind-new', { platform: 'SUCAIYUN' }, contact);

    const types = async (setId: string) =>
      (await store.readStreamToArray(`credential-set-${setId}`)).map((e) => e.type);
    expect(await types('bu-1-a')).toEqual([
      'CredentialSetApplied',
      'ApplicationCollected',
      'FilingAccepted',
      'CredentialSetIssued',
      'OldCredentialUnbound',
      'NewCredentialBound',
    ]);
    expect(await types('sup-1-a')).toEqual([
      'CredentialSetApplied',
      'FilingAccepted',
      'CredentialSetIssued',
      'NewCredentialBound',
    ]);
    expect(await types('exp-1-a')).toEqual([
      'CredentialSetApplied',
      'FilingAccepted',
      'CredentialSetIssued',
      'NewCredentialBound',
      'CredentialSetReissued',
      'NewCredentialBound',
    ]);
    expect((await verifyLog(db, null)).ok).toBe(true);

    const state = await ok('GET', '/credential-sets/bu-1-a?consistency=strong');
    expect(state.state).toMatchObject({ status: 'ISSUED', boundPlatforms: ['SUCAIYUN'] });
    const history = (await ok('GET', '/credential-sets/bu-1-a/history')) as unknown as {
      type: string;
      actor: { role: string };
    }[];
    expect(history.map((e) => e.actor.role)).toEqual([
      'SUPERVISING_UNIT',
      'SUPERVISING_UNIT',
      'FINANCE_STAFF',
      'FINANCE_STAFF',
      'PARTY',
      'PARTY',
    ]);
    const asOf = await ok(
      'GET',
      `/credential-sets/bu-1-a?asOf=${encodeURIComponent(history.length ? new Date(Date.parse((await store.readStreamToArray('credential-set-bu-1-a'))[2]!.recordedAt)).toISOString() : '')}&basis=recorded`,
    );
    expect(asOf.state.status).toBe('FILED');

    // The Web UI can find sets by party and state (search attributes, indexed asynchronously).
    for (let i = 0; ; i++) {
      const found: string[] = [];
      for await (const w of system.temporal.workflow.list({
        query: `CertflowPartyId = "bu-1" AND CertflowState = "ISSUED"`,
      }))
        found.push(w.workflowId);
      if (found.length === 1) {
        expect(found).toEqual(['credential-set-bu-1-a']);
        break;
      }
      if (i > 40) throw new Error(`search attributes not indexed: ${JSON.stringify(found)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const statements = (await ok('GET', '/fee-statements')) as unknown as {
      payer: { kind: string; jurisdiction?: string; partyId?: string };
      totalFen: number;
    }[];
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ payer: { kind: 'FINANCE', jurisdiction: 'wujin' }, totalFen: 11520 }),
        expect.objectContaining({ payer: { kind: 'SELF', partyId: 'sup-1' }, totalFen: 19200 }),
        expect.objectContaining({ payer: { kind: 'FINANCE', jurisdiction: 'tianning' }, totalFen: 19200 }),
        expect.objectContaining({ payer: { kind: 'SELF', partyId: 'exp-1' }, totalFen: 11520 }),
      ]),
    );
  });
});

describe('bad input over HTTP', () => {
  it.each([
    ['malformed JSON', 'POST', '/parties', undefined, '{"partyId":', 400, 'MALFORMED_REQUEST'],
    [
      'an unknown field',
      'POST',
      '/parties',
      {
        partyId: 'x1',
        partyType: 'BUDGET_UNIT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '113204120141863027',
        contact: { name: 'a', phone: '13912345678' },
        colour: 'red',
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an invalid credit code',
      'POST',
      '/parties',
      {
        partyId: 'x2',
        partyType: 'BUDGET_UNIT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '113204120141863028',
        contact: { name: 'a', phone: '13912345678' },
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'an invalid ID number',
      'POST',
      '/parties',
      {
        partyId: 'x3',
        partyType: 'EVALUATION_EXPERT',
        name: 'n',
        jurisdiction: 'wujin',
        identifier: '320402198002301234',
        contact: { name: 'a', phone: '13912345678' },
      },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'a step out of order',
      'POST',
      '/credential-sets/sup-1-a/filing',
      { decision: 'ACCEPT' },
      undefined,
      409,
      'STEP_OUT_OF_ORDER',
    ],
    [
      'a platform that keeps the old credential',
      'POST',
      '/credential-sets/bu-1-a/unbind-old',
      { platform: 'CZ_PROCUREMENT' },
      undefined,
      400,
      'INVALID_FIELD',
    ],
    [
      'a step out of its window',
      'POST',
      '/credential-sets/bu-1-a/renew',
      undefined,
      undefined,
      422,
      'RENEWAL_WINDOW_NOT_OPEN',
    ],
    ['an unknown set', 'POST', '/credential-sets/nope/collect', undefined, undefined, 404, 'NOT_FOUND'],
    [
      'a NUL byte in a filter',
      'GET',
      '/credential-sets?jurisdiction=%00wujin',
      undefined,
      undefined,
      400,
      'INVALID_FIELD',
    ],
    ['an unknown party', 'POST', '/credential-sets', { partyId: 'nobody', kind: 'NEW' }, undefined, 404, 'NOT_FOUND'],
    [
      'a second set without a filing',
      'POST',
      '/credential-sets',
      { setId: 'sup-1-b', partyId: 'sup-1', kind: 'NEW' },
      undefined,
      409,
      'ONE_SET_PER_PARTY',
    ],
    [
      'the SYSTEM role from outside',
      'POST',
      '/credential-sets/bu-1-a/renew',
      undefined,
      undefined,
      403,
      'ROLE_NOT_ALLOWED',
    ],
  ] as const)(
    'refuses %s with the right 4xx naming it, writing nothing',
    async (_name, method, path, body, raw, status, rule) => {
      const before = await counts();
      const actor =
        rule === 'ROLE_NOT_ALLOWED'
          ? (['cron', 'SYSTEM'] as const)
          : path === '/credential-sets' && (body as { partyId?: string })?.partyId === 'sup-1'
            ? window
            : finance;
      const r = await http(method, path, body, actor, raw !== undefined ? { raw } : {});
      expect(r.status).toBe(status);
      expect(r.type).toContain('application/problem+json');
      expect(r.body).toMatchObject({ status, rule });
      if (rule === 'INVALID_FIELD') expect(r.body['errors']?.[0]?.path).toEqual(expect.any(String));
      expect(await counts()).toEqual(before);
    },
  );
});

describe('the OpenAPI document', () => {
  it('is served and declares the problem responses of each step', async () => {
    const doc = await ok('GET', '/docs/openapi.json');
    const post = doc['paths']['/credential-sets']['post'] as {
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    };
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422', '503']),
    );
    expect(post.responses['409']?.content['application/problem+json']?.schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });
});
