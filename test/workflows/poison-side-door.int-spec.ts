import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createDataSource, migrate, PostgresEventStore } from '@certflow/event-store';
import { createTestDatabase, type TestDatabase } from '@certflow/postgres/testing';
import { createEventActivities } from '@certflow/activities';
import type { DataSource } from 'typeorm';
import { partyStep, partyWorkflow, type PartyStepCommand, type StepCommand } from '@certflow/workflows';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import {
  applyCommand,
  campaignFromNow,
  contact,
  issue,
  moveTo,
  registerPartyCommand,
  runWorker,
  startOf,
  startSet,
  startTimeSkippingServer,
  staff,
  step,
  supervisor,
  uniqueId,
  waitFor,
  type SetHandle,
} from './support/time-skipping';

// The Temporal side door: whoever reaches the frontend can send a set's Update any payload, past
// the API's grammar. The Update validator runs the domain's decide, which holds every free-text and
// id field to the same grammar: a NUL or a lone surrogate is refused there, never enters history,
// appends nothing, and the set goes on (its next step, then its durable cut-over timer).
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let db: DataSource;
let store: PostgresEventStore;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  [env, database] = await Promise.all([startTimeSkippingServer(), createTestDatabase('poison_side_door')]);
  await migrate(database.url);
  db = await createDataSource(database.url, { role: 'certflow_app' }).initialize();
  store = new PostgresEventStore(db);
  stopWorker = await runWorker(env, createEventActivities({ store }));
});

afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
  await db?.destroy();
  await database?.drop();
});

const POISON = [
  ['a NUL', 'a\u0000b'],
  ['a lone surrogate', 'a\ud800b'],
] as const;

/** A command with `value` at a dotted path (`oldCredential.boundPlatforms[0]`). */
function withValue<C extends StepCommand | PartyStepCommand>(command: C, path: string, value: string): C {
  const copy = JSON.parse(JSON.stringify(command)) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys[keys.length - 1]!] = value;
  return copy as unknown as C;
}

const component = (serial: string) => ({
  serial,
  issuer: 'JSCA',
  validFrom: '2030-01-01T00:00:00Z',
  validUntil: '2030-06-01T00:00:00Z',
});

/** Every free-text and id field of the staff steps, with the command it is poisoned in. */
function poisonable(setId: string): [string, StepCommand][] {
  const apply = applyCommand(setId, true);
  const issueCommand: StepCommand = {
    type: 'IssueCredentialSet',
    actor: staff,
    ca: component('CA-0001'),
    seal: component('SEAL-0001'),
  };
  return [
    ...['setId', 'party.partyId', 'party.supervisingUnitId', 'party.jurisdiction'].map((f): [string, StepCommand] => [
      f,
      apply,
    ]),
    ['oldCredential.serial', apply],
    ['oldCredential.boundPlatforms[0]', apply],
    ['reason', { type: 'RejectFiling', actor: staff, reason: '材料不全' }],
    ['ca.issuer', issueCommand],
    ['seal.issuer', issueCommand],
    ['ca.serial', issueCommand],
    ['platform', { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' }],
    ['platform', { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' }],
    ['note', { type: 'RevokeCredentialSet', actor: staff, reason: 'OTHER', note: '单位撤销' }],
    ['note', { type: 'RevokeCredentialSet', actor: staff, reason: 'PARTY_DISSOLVED', note: '单位撤销' }],
  ];
}

/** Sends every poison of the steps of `type` and expects each refused by the validator, naming its field. */
async function refuseAll(h: SetHandle, setId: string, types: readonly string[]): Promise<number> {
  let refused = 0;
  for (const [path, command] of poisonable(setId).filter(([, c]) => types.includes(c.type))) {
    for (const [name, bad] of POISON) {
      const error = await step(h, withValue(command, path, bad)).catch((e: unknown) => e);
      expect({ path, name, error }).toEqual({ path, name, error: expect.any(WorkflowUpdateFailedError) });
      const failure = (error as WorkflowUpdateFailedError).cause;
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect({ path, type: (failure as ApplicationFailure).type }).toEqual({ path, type: 'INVALID_FIELD' });
      expect(failure?.message).toContain(path);
      refused += 1;
    }
  }
  return refused;
}

describe('poison sent to a set’s Update through the Temporal side door', () => {
  it('is refused by the validator in every free-text and id field, never enters history, and the cut-over still fires', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('side-door');
    const h = await startSet(env, setId, policy);
    const all = poisonable(setId).map(([, c]) => c.type);
    let refused = await refuseAll(h, setId, ['ApplyForCredentialSet']);
    await step(h, applyCommand(setId, true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    refused += await refuseAll(h, setId, ['RejectFiling']);
    await step(h, { type: 'AcceptFiling', actor: staff });
    refused += await refuseAll(h, setId, ['IssueCredentialSet']);
    const issued = await issue(env, h, setId);
    expect(issued.state.status).toBe('ISSUED');
    refused += await refuseAll(h, setId, ['UnbindOldCredential', 'BindNewCredential', 'RevokeCredentialSet']);
    expect(refused).toBe(all.length * POISON.length);

    const stream = `credential-set-${setId}`;
    const recorded = ['CredentialSetApplied', 'ApplicationCollected', 'FilingAccepted', 'CredentialSetIssued'];
    expect((await store.readStreamToArray(stream)).map((e) => e.type)).toEqual(recorded);
    // Only the four valid steps were accepted into history; a validator's refusal leaves no trace there.
    const history = await h.fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(4);

    // The durable cut-over timer fires: the old credential, still bound, stops, and the party is blocked.
    const cutOver = startOf(policy, policy.platforms[policy.targetPlatform]!.oldCredentialStopsOn!);
    await moveTo(env, cutOver + 1000);
    await waitFor(async () => (await store.readStreamToArray(stream)).length > recorded.length);
    expect((await store.readStreamToArray(stream)).map((e) => e.type)).toEqual([
      ...recorded,
      'OldCredentialStopped',
      'PlatformAccessBlocked',
    ]);
  }, 120_000);
});

describe('poison sent to a party’s Update through the Temporal side door', () => {
  it('is refused by the validator in every free-text and id field of registration and filings; the party steps on', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('side-door-party');
    const h = await env.client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy }],
    });
    const register = registerPartyCommand(partyId);
    const submit: PartyStepCommand = {
      type: 'SubmitAdditionalSetFiling',
      actor: supervisor,
      filingId: 'f-1',
      additionalSets: 1,
      reason: '两个科室',
    };
    const refuse = async (command: PartyStepCommand, fields: readonly string[]) => {
      for (const path of fields) {
        for (const [name, bad] of POISON) {
          const error = await h
            .executeUpdate(partyStep, { args: [withValue(command, path, bad)] })
            .catch((e: unknown) => e);
          expect({ path, name, error }).toEqual({ path, name, error: expect.any(WorkflowUpdateFailedError) });
          const failure = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
          expect({ path, type: failure.type, named: failure.message.includes(path.replace(/^party\./, '')) }).toEqual({
            path,
            type: 'INVALID_FIELD',
            named: true,
          });
        }
      }
    };
    await refuse(register, [
      'party.partyId',
      'party.name',
      'party.jurisdiction',
      'party.identifier',
      'party.supervisingUnitId',
      'party.contact.name',
      'party.contact.phone',
    ]);
    await h.executeUpdate(partyStep, { args: [register] });
    await moveTo(env, startOf(policy, policy.calendar.additionalSetFilingsOpen) + 1000);
    await refuse(submit, ['filingId', 'reason']);
    await h.executeUpdate(partyStep, { args: [submit] });
    await refuse({ type: 'RejectAdditionalSetFiling', actor: staff, filingId: 'f-1', reason: '材料不全' }, [
      'filingId',
      'reason',
    ]);
    await refuse({ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-a` }, ['setId']);
    expect((await store.readStreamToArray(`party-${partyId}`)).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'AdditionalSetFilingSubmitted',
    ]);
    await h.executeUpdate(partyStep, {
      args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-a` }],
    });
  }, 120_000);
});
