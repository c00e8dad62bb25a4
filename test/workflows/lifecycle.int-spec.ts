import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { formatLocal, type LaunchItem } from '@certflow/domain';
import {
  launchProgress,
  refusedLaunchItems,
  saveLaunch,
  verifyLog,
  type PostgresEventStore,
  type StoredEvent,
} from '@certflow/event-store';
import { createEventActivities, createLaunchActivities, createSetEndActivities } from '@certflow/activities';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import type { DataSource } from 'typeorm';
import { credentialSetState, credentialSetStep, type StepCommand } from '@certflow/workflows';
import { partyState, partyStep, partyWorkflow, type PartyStepResult } from '@certflow/workflows';
import { campaignLaunchWorkflow } from '@certflow/workflows';
import {
  applyCommand,
  campaignFromNow,
  contact,
  issue,
  moveTo,
  registerPartyCommand,
  startOf,
  startSet,
  startWorkflowTestBed,
  staff,
  steadyClient,
  step,
  supervisor,
  uniqueId,
  waitFor,
  type WorkflowTestBed,
} from './support/time-skipping';

// The whole campaign calendar on Temporal's time-skipping server, with the real event store.
// Each test rehearses the campaign from the server's day when it starts and uses its own ids, so
// the tests run alone, in any order, or after one another moved the clock years ahead.
let bed: WorkflowTestBed | undefined;
let env: TestWorkflowEnvironment;
let db: DataSource;
let store: PostgresEventStore;

beforeAll(async () => {
  bed = await startWorkflowTestBed('workflows', ({ env: e, db: d, store: s }) => ({
    ...createEventActivities({ store: s }),
    ...createSetEndActivities({ store: s }),
    ...createLaunchActivities({ db: d, store: s, client: e.client }),
  }));
  ({ env, db, store } = bed);
});

afterAll(() => bed?.stop());

async function events(setId: string): Promise<StoredEvent[]> {
  return store.readStreamToArray(`credential-set-${setId}`);
}

describe('a credential set through the whole campaign', () => {
  it('rejects a refused step before it enters history, naming the rule, and appends nothing', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('refused');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    const error = (await step(h, { type: 'AcceptFiling', actor: staff }).catch(
      (e: unknown) => e,
    )) as WorkflowUpdateFailedError;
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(error.cause).toMatchObject({ type: 'STEP_OUT_OF_ORDER' });
    // The workflow sandbox reads the zone right: the refusal names local Shanghai time.
    const before = formatLocal(await env.currentTimeMs(), policy.timeZone).slice(0, 13);
    const early = (await step(h, { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' }).catch(
      (e: unknown) => e,
    )) as WorkflowUpdateFailedError;
    const after = formatLocal(await env.currentTimeMs(), policy.timeZone).slice(0, 13);
    expect(early.cause).toMatchObject({ type: 'TRANSITION_WINDOW_CLOSED' });
    expect([before, after].some((local) => early.cause!.message.includes(`got ${local}`))).toBe(true);
    expect((await events(setId)).map((e) => e.type)).toEqual(['CredentialSetApplied']);
    const history = await h.fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(accepted).toHaveLength(1);
  });

  it('applies, files, issues, moves over in the window, expires, renews and expires again, on durable timers', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('full');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    const issued = await issue(env, h, setId);
    expect(issued.state.status).toBe('ISSUED');
    expect(issued.append).toMatchObject({ duplicate: false });

    await moveTo(env, startOf(policy, policy.calendar.transitionWindow.start) + 9 * 3_600_000);
    await step(h, { type: 'UnbindOldCredential', actor: contact, platform: 'SUCAIYUN' });
    const bound = await step(h, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });
    expect(bound.state.boundPlatforms).toEqual(['SUCAIYUN']);

    // Past the cut-over: a bound set records nothing. Then the expiry timer fires by itself.
    const validUntil = Date.parse(issued.state.validUntil!);
    await moveTo(env, validUntil + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    const renewed = await step(h, { type: 'RenewCredentialSet', actor: staff });
    expect(renewed.state.status).toBe('ISSUED');
    // Renewal continues the workflow as new; the handle follows the chain.
    const secondExpiry = Date.parse(renewed.state.validUntil!);
    await moveTo(env, secondExpiry + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');

    const log = await events(setId);
    expect(log.map((e) => e.type)).toEqual([
      'CredentialSetApplied',
      'ApplicationCollected',
      'FilingAccepted',
      'CredentialSetIssued',
      'OldCredentialUnbound',
      'NewCredentialBound',
      'CredentialSetExpired',
      'CredentialSetRenewed',
      'CredentialSetExpired',
    ]);
    // System steps carry the deadline itself as their business time, whenever the timer fired.
    const expiries = log.filter((e) => e.type === 'CredentialSetExpired');
    expect(expiries.map((e) => Date.parse(e.at))).toEqual([validUntil, secondExpiry]);
    expect(expiries.every((e) => e.actor.role === 'SYSTEM')).toBe(true);
    expect((await verifyLog(db, null, { streamId: `credential-set-${setId}` })).ok).toBe(true);
  });

  it('answers a step retried with its Update id after the run continued as new with its first answer, once', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('carried');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    const issued = await issue(env, h, setId);
    await moveTo(env, Date.parse(issued.state.validUntil!) + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    const renew: StepCommand = { type: 'RenewCredentialSet', actor: staff };
    const updateId = uniqueId('key');
    const first = await h.executeUpdate(credentialSetStep, { args: [renew], updateId });
    // The renewal continued the workflow as new: Temporal's own de-duplication of Update ids ends
    // with the run; the new run knows the answer it carried.
    await waitFor(async () => (await h.describe()).runId !== h.firstExecutionRunId);
    const again = await h.executeUpdate(credentialSetStep, { args: [renew], updateId });
    expect(again).toEqual(first);
    expect((await events(setId)).filter((e) => e.type === 'CredentialSetRenewed')).toHaveLength(1);
    // Another id is another request: decided on the state as it is (renewed already: refused).
    const other = await h
      .executeUpdate(credentialSetStep, { args: [renew], updateId: uniqueId('key') })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(WorkflowUpdateFailedError);
  });

  it('records the cut-over for a set not yet bound, blocks the party, and unblocks it on binding', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('late');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, true));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    await issue(env, h, setId);
    const cutOver = startOf(policy, policy.platforms['SUCAIYUN']!.oldCredentialStopsOn!);
    await moveTo(env, cutOver + 60_000);
    await waitFor(async () => (await h.query(credentialSetState)).blockedPlatforms.includes('SUCAIYUN'));
    const bound = await step(h, { type: 'BindNewCredential', actor: contact, platform: 'SUCAIYUN' });
    expect(bound.events.map((e) => e.type)).toEqual(['NewCredentialBound', 'PlatformAccessRestored']);
    const log = await events(setId);
    const stopped = log.filter((e) => e.type === 'OldCredentialStopped' || e.type === 'PlatformAccessBlocked');
    expect(stopped.map((e) => [e.type, Date.parse(e.at)])).toEqual([
      ['OldCredentialStopped', cutOver],
      ['PlatformAccessBlocked', cutOver],
    ]);
  });
});

describe('the party workflow', () => {
  it('gives exactly one of two concurrent applications a set', async () => {
    const policy = await campaignFromNow(env);
    const partyId = uniqueId('p');
    const h = await env.client.workflow.start(partyWorkflow, {
      workflowId: `party-${partyId}`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId, policy }],
    });
    await h.executeUpdate(partyStep, {
      args: [registerPartyCommand(partyId)],
    });
    const outcomes = await Promise.allSettled(
      [`${partyId}-s1`, `${partyId}-s2`].map((setId) =>
        h.executeUpdate(partyStep, { args: [{ type: 'OpenCredentialSet', actor: supervisor, setId }] }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ONE_SET_PER_PARTY' });
    const log = await store.readStreamToArray(`party-${partyId}`);
    expect(log.map((e) => e.type)).toEqual(['PartyRegistered', 'CredentialSetOpened']);

    // The opened set is rejected at filing: it tells its party, whose slot is free again.
    const opened = (outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<PartyStepResult>).value;
    const setId = opened.state.openSets[0]!;
    const set = await startSet(env, setId, policy);
    await step(set, {
      ...applyCommand(setId, false),
      party: { partyId, partyType: 'BUDGET_UNIT', jurisdiction: 'wujin', supervisingUnitId: null },
    } as StepCommand);
    await step(set, { type: 'CollectApplication', actor: supervisor });
    await step(set, { type: 'RejectFiling', actor: staff, reason: '申请表未盖公章' });
    await waitFor(async () => (await h.query(partyState)).openSets.length === 0);
    const reopened = await h.executeUpdate(partyStep, {
      args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-s3` }],
    });
    expect(reopened.state.openSets).toEqual([`${partyId}-s3`]);
    expect((await store.readStreamToArray(`party-${partyId}`)).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
      'CredentialSetClosed',
      'CredentialSetOpened',
    ]);
  });
});

describe('a campaign launch', () => {
  // System steps (a timer firing) are the sets' own doing, not the launch's.
  const staffSteps = (es: StoredEvent[]) => es.filter((e) => e.actor.role !== 'SYSTEM').map((e) => e.type);
  const unit = (tag: string, n: number): LaunchItem => ({
    party: {
      partyId: `${tag}-unit-${n}`,
      partyType: 'BUDGET_UNIT',
      name: `常州市某局${n}`,
      jurisdiction: 'wujin',
      identifier: '11320400014000001T',
      supervisingUnitId: 'wujin-edu',
      contact: { name: '张三', phone: '0519-85681829' },
    },
    setId: `${tag}-set-${n}`,
    kind: 'NEW',
    oldCredential: null,
  });
  /** Events in the launch's own streams, and steps anyone took anywhere (timers of other tests may still fire). */
  async function counts(items: readonly LaunchItem[]): Promise<{ launch: number; steps: number }> {
    const streams = items.flatMap((i) => [`party-${i.party.partyId}`, `credential-set-${i.setId}`]);
    const [row] = await db.query<[{ launch: number; steps: number }]>(
      `SELECT count(*) FILTER (WHERE stream_id = ANY($1))::int AS launch,
              count(*) FILTER (WHERE actor_role <> 'SYSTEM')::int AS steps
         FROM events`,
      [streams],
    );
    return row;
  }

  it('registers each party and applies for its set in chunks, starting both workflows, and a rerun changes nothing', async () => {
    const policy = await campaignFromNow(env);
    // Launches run on a client that keeps server time still, so no timer fires while they run.
    const client: Client = steadyClient(env);
    const tag = uniqueId('launch');
    const launchId = uniqueId('L');
    const items = Array.from({ length: 25 }, (_, n) => unit(tag, n));
    // One party exists already (registered by hand): its item is refused, the others go ahead.
    const existing = await env.client.workflow.start(partyWorkflow, {
      workflowId: `party-${tag}-unit-7`,
      taskQueue: TASK_QUEUE,
      args: [{ partyId: `${tag}-unit-7`, policy }],
    });
    await existing.executeUpdate(partyStep, {
      args: [{ type: 'RegisterParty', actor: staff, party: items[7]!.party }],
    });

    const at = new Date(await env.currentTimeMs()).toISOString();
    expect(
      await saveLaunch(db, { launchId, policyId: policy.id, actor: staff, requestedAt: at, total: 25 }, items),
    ).toBe(true);
    const input = { launchId, total: 25, policy, at, actor: staff, chunkSize: 10 };
    const result = await client.workflow.execute(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}`,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    expect(result).toEqual({ total: 25, next: 25, launched: 24, refused: 1 });
    expect(await launchProgress(db, launchId)).toMatchObject({ total: 25, launched: 24, refused: 1, pending: 0 });
    expect(await refusedLaunchItems(db, launchId)).toEqual([
      expect.objectContaining({
        seq: 7,
        partyId: `${tag}-unit-7`,
        problem: expect.objectContaining({ rule: 'PARTY_ALREADY_REGISTERED' }),
      }),
    ]);

    // The launched workflows hold the state the first events fold to, and take the next step.
    const set = env.client.workflow.getHandle(`credential-set-${tag}-set-3`);
    expect((await set.query(credentialSetState)).status).toBe('APPLIED');
    // The party is registered with its set open, in its stream; its workflow starts when first needed.
    expect((await store.readStreamToArray(`party-${tag}-unit-3`)).map((e) => e.type)).toEqual([
      'PartyRegistered',
      'CredentialSetOpened',
    ]);
    await expect(env.client.workflow.getHandle(`party-${tag}-unit-3`).describe()).rejects.toThrow(/not found/i);
    await set.executeUpdate(credentialSetStep, { args: [{ type: 'CollectApplication', actor: supervisor }] });
    expect(staffSteps(await events(`${tag}-set-3`))).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
    expect(await store.streamVersion(`party-${tag}-unit-7`)).toBe(1);

    // The same launch run again (a retried chunk): nothing appended, nothing started twice.
    const before = await counts(items);
    const again = await client.workflow.execute(campaignLaunchWorkflow, {
      workflowId: `launch-${launchId}-again`,
      taskQueue: TASK_QUEUE,
      args: [input],
    });
    expect(again).toEqual(result);
    expect(await counts(items)).toEqual(before);
    expect(staffSteps(await events(`${tag}-set-3`))).toEqual(['CredentialSetApplied', 'ApplicationCollected']);
    // The whole log verifies though other tests' timers may be appending meanwhile (one snapshot).
    expect((await verifyLog(db, null)).ok).toBe(true);
  });
});
