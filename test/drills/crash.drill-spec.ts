import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDataSource, migrate, PostgresEventStore, verifyLog } from '@certflow/event-store';
import {
  actors,
  apiClient,
  expert,
  freePort,
  postgresProcess,
  rehearsalPolicy,
  startSystem,
  uniqueId,
  type ApiResponse,
  type PostgresProcess,
  type System,
} from '@certflow/testing';
import type { DataSource } from 'typeorm';
import type { CampaignPolicy } from '@certflow/domain';
import { applyForCredentialSet, credentialSetApplied, type partyWorkflow } from '@certflow/workflows';

// Crash drills: registering a party and applying for a set are each one durable unit. The API or
// the worker is killed with SIGKILL at each point between the parts, by a named failpoint
// (`CERTFLOW_FAILPOINT`, libs/application/src/lib/failpoint.ts) that writes a marker file first:
// the marker proves the kill landed there, mid-operation. After the restart the same request is
// sent again: it succeeds, the party and its set exist once, no id is burned and no slot leaked.

let pg: PostgresProcess;
let db: DataSource;
let store: PostgresEventStore;
let system: System;
let markers: string;
let policy: CampaignPolicy;

const { finance } = actors;
const { http } = apiClient(() => system.api, finance);

/** Sends with an Idempotency-Key when given one (the retry sends the same). */
const send = (method: string, route: string, body: unknown, key: string | null) =>
  http(method, route, body, finance, key === null ? {} : { headers: { 'Idempotency-Key': key } });

beforeAll(async () => {
  pg = postgresProcess({ port: await freePort() });
  await pg.start();
  await migrate(pg.url);
  db = await createDataSource(pg.url).initialize();
  store = new PostgresEventStore(db);
  policy = rehearsalPolicy(14);
  system = await startSystem({ databaseUrl: pg.url, policy });
  markers = mkdtempSync(path.join(os.tmpdir(), 'certflow-failpoints-'));
});

afterAll(async () => {
  await system?.stop();
  await db?.destroy();
  await pg?.remove();
  if (markers) rmSync(markers, { recursive: true, force: true });
});

const types = async (streamId: string) => (await store.readStreamToArray(streamId)).map((e) => e.type);

/** Workflows whose id starts with `prefix`, by status. */
async function workflows(prefix: string): Promise<Record<string, number>> {
  const byStatus: Record<string, number> = {};
  for await (const w of system.temporal.workflow.list({ query: `WorkflowId STARTS_WITH '${prefix}'` })) {
    byStatus[w.status.name] = (byStatus[w.status.name] ?? 0) + 1;
  }
  return byStatus;
}

type Part = 'api' | 'worker';

/**
 * Restarts `part` armed with the failpoint, sends the request, and waits until the part has killed
 * itself there (its marker written). Then restarts it unarmed. Answers what the first request got
 * (a dropped connection for the API; for the worker, usually the answer once it is back).
 */
async function crashAt(part: Part, point: string, send: () => Promise<ApiResponse>): Promise<ApiResponse | Error> {
  // One marker per crash: a marker left by an earlier case would leave the point inert.
  const marker = path.join(markers, uniqueId(`${part}-${point.replace(/[^A-Za-z0-9.-]/g, '_')}`));
  const armed = { CERTFLOW_FAILPOINT: point, CERTFLOW_FAILPOINT_MARKER: marker };
  if (part === 'api') {
    await system.killApi('SIGINT');
    await system.startApi(armed);
  } else {
    await system.killWorker('SIGINT');
    await system.startWorker(armed);
  }
  const first = send().catch((e: unknown) => e as Error);
  const exited = part === 'api' ? system.apiExited() : system.workerExited();
  const never = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`the ${part} never reached ${point}`)), 60_000).unref();
  });
  await Promise.race([exited, never]);
  // The kill landed at the point, mid-operation: the marker names it and the process that wrote it.
  expect(existsSync(marker)).toBe(true);
  expect(readFileSync(marker, 'utf8')).toMatch(new RegExp(`^${point.replace(/[.:]/g, '\\$&')} \\d+`));
  if (part === 'api') await system.startApi();
  else await system.startWorker();
  return first;
}

/** The request got no answer (fetch failed: its error comes from another realm than jest's Error). */
function dropped(r: ApiResponse | Error): r is Error {
  return !('status' in r);
}

async function registered(partyId: string): Promise<void> {
  const r = await http('POST', '/parties', expert(partyId));
  expect(r.status).toBe(201);
}

describe('registering a party, crashed between its parts', () => {
  it.each([
    ['api', 'register.after-start', 'without'],
    ['api', 'register.after-start', 'with'],
    ['worker', 'append.after:PartyRegistered', 'without'],
    ['worker', 'append.after:PartyRegistered', 'with'],
  ] as const)(
    '%s killed at %s: the retry %s the key registers the party once, and GET answers it',
    async (part, point, keyed) => {
      const partyId = uniqueId(`R-${part}`);
      const body = expert(partyId);
      const key = keyed === 'with' ? `drill-${partyId}` : null;
      const first = await crashAt(part, point, () => send('POST', '/parties', body, key));
      if (part === 'api') expect(dropped(first)).toBe(true); // the connection died with the API

      const retried = await send('POST', '/parties', body, key);
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({ party: { partyId }, version: 1 });
      if (!dropped(first) && first.status === 201) expect(first.body).toEqual(retried.body);
      expect((await http('GET', `/parties/${partyId}`)).body).toMatchObject({ party: { partyId } });
      expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered']);
      expect(await workflows(`party-${partyId}`)).toEqual({ RUNNING: 1 });
      // Other details under the same id are still refused.
      const other = await http('POST', '/parties', { ...body, name: '另一个专家' });
      expect(other).toMatchObject({ status: 409, body: { rule: 'PARTY_ALREADY_REGISTERED' } });
      expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered']);
    },
  );
});

describe('applying for a set, crashed between its parts', () => {
  it.each([
    ['api', 'apply.after-party-update', 'without'],
    ['api', 'apply.after-party-update', 'with'],
    ['worker', 'append.after:CredentialSetOpened', 'without'],
    ['worker', 'start-set.after-start', 'without'],
    ['worker', 'start-set.after-start', 'with'],
    ['worker', 'append.after:CredentialSetApplied', 'without'],
  ] as const)(
    '%s killed at %s: the retry %s the key answers the application once; one slot, one set, its first step once',
    async (part, point, keyed) => {
      const partyId = uniqueId(`A-${part}`);
      await registered(partyId);
      const setId = `${partyId}-a`;
      const application = { setId, partyId, kind: 'NEW' };
      const key = keyed === 'with' ? `drill-${setId}` : null;
      const first = await crashAt(part, point, () => send('POST', '/credential-sets', application, key));
      if (part === 'api') expect(dropped(first)).toBe(true);

      const retried = await send('POST', '/credential-sets', application, key);
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({
        state: { setId, status: 'APPLIED', party: { partyId } },
        events: [{ type: 'CredentialSetApplied' }],
      });
      if (!dropped(first) && first.status < 300) expect(first.body).toEqual(retried.body);
      expect(await types(`party-${partyId}`)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
      expect(await types(`credential-set-${setId}`)).toEqual(['CredentialSetApplied']);
      expect(await workflows(`credential-set-${setId}`)).toEqual({ RUNNING: 1 });
      // No leaked slot: the party holds exactly this set, and the one-set rule still holds.
      expect((await http('GET', `/parties/${partyId}`)).body).toMatchObject({ openSets: [setId] });
      const second = await http('POST', '/credential-sets', { setId: `${partyId}-b`, partyId, kind: 'NEW' });
      expect(second).toMatchObject({ status: 409, body: { rule: 'ONE_SET_PER_PARTY' } });
      expect(await workflows(`credential-set-${partyId}-b`)).toEqual({});
      // The set takes its next step.
      expect((await http('POST', `/credential-sets/${setId}/filing`, { decision: 'ACCEPT' })).status).toBe(200);
    },
  );
});

describe('a set id whose application lost a race', () => {
  it('is applied for afresh once the slot is free, not answered with the lost race', async () => {
    const partyId = uniqueId('race');
    await registered(partyId);
    // Two applications straight to the party's workflow, under the ids the API gives them.
    const party = system.temporal.workflow.getHandle<typeof partyWorkflow>(`party-${partyId}`);
    const apply = (setId: string) =>
      party.executeUpdate(applyForCredentialSet, {
        args: [{ setId, kind: 'NEW', oldCredential: null, actor: { id: finance[0], role: finance[1] }, policy }],
        updateId: `apply-${setId}`,
      });
    const [a, b] = [`${partyId}-a`, `${partyId}-b`];
    const outcomes = await Promise.allSettled([apply(a), apply(b)]);
    const lost = outcomes[0].status === 'rejected' ? a : b;
    const won = lost === a ? b : a;
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    // The winner's set ends; the party's slot is free again.
    await system.temporal.workflow.getHandle(`credential-set-${won}`).executeUpdate(credentialSetApplied, { args: [] });
    expect((await http('POST', `/credential-sets/${won}/revoke`, { reason: 'APPLICATION_WITHDRAWN' })).status).toBe(
      200,
    );
    const free = async () => {
      const r = await http('GET', `/parties/${partyId}`);
      return r.status === 200 && (r.body['openSets'] as string[]).length === 0;
    };
    for (let i = 0; i < 300 && !(await free()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await free()).toBe(true);
    const again = await http('POST', '/credential-sets', { setId: lost, partyId, kind: 'NEW' });
    expect(again).toMatchObject({ status: 201, body: { state: { setId: lost, status: 'APPLIED' } } });
  });
});

describe('after every crash', () => {
  it('the hash chains verify', async () => {
    expect(await verifyLog(db, null)).toMatchObject({ ok: true });
  });
});
