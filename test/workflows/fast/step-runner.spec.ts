import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { TASK_QUEUE } from '@certflow/temporal-runtime';
import {
  credentialSetState,
  partyStep,
  partyWorkflow,
  type AppendInput,
  type CredentialSetWorkflowInput,
} from '@certflow/workflows';
import { InMemoryEventLog } from '../support/in-memory-event-log';
import {
  applyCommand,
  campaignFromNow,
  issue,
  moveTo,
  registerPartyCommand,
  runWorker,
  startSet,
  startTimeSkippingServer,
  staff,
  step,
  supervisor,
  uniqueId,
  waitFor,
} from '../support/time-skipping';

// The fast tier: the real workflow bundle on Temporal's time-skipping server, with the append
// activity in memory (no PostgreSQL). It pins down the step runner both aggregates share: what
// each step appends, under which key, at which version, and what a new run carries.
let env: TestWorkflowEnvironment;
let log: InMemoryEventLog;
let stopWorker: (() => Promise<void>) | undefined;

beforeAll(async () => {
  env = await startTimeSkippingServer();
  log = new InMemoryEventLog();
  stopWorker = await runWorker(env, log.activities);
});

afterAll(async () => {
  await stopWorker?.();
  await env?.teardown();
});

const keysAndVersions = (calls: readonly AppendInput[]) => calls.map((c) => [c.idempotencyKey, c.expectedVersion]);

async function startParty(partyId: string, options: { workflowTaskTimeout?: string } = {}) {
  const policy = await campaignFromNow(env);
  const h = await env.client.workflow.start(partyWorkflow, {
    workflowId: `party-${partyId}`,
    taskQueue: TASK_QUEUE,
    args: [{ partyId, policy }],
    ...options,
  });
  await h.executeUpdate(partyStep, {
    args: [registerPartyCommand(partyId)],
  });
  return h;
}

describe('the step runner', () => {
  it('numbers each accepted step and appends it with the key <workflow id>:<seq> at the version its state stands at', async () => {
    const partyId = uniqueId('party');
    const h = await startParty(partyId);
    const opened = await h.executeUpdate(partyStep, {
      args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-s1` }],
    });
    expect(keysAndVersions(log.callsFor(`party-${partyId}`))).toEqual([
      [`party-${partyId}:1`, 0],
      [`party-${partyId}:2`, 1],
    ]);
    expect(opened.append).toEqual({ fromVersion: 2, toVersion: 2, positions: [expect.any(Number)], duplicate: false });
    expect(opened.state.version).toBe(2);
    expect(log.events(`party-${partyId}`).map((e) => e.type)).toEqual(['PartyRegistered', 'CredentialSetOpened']);
  });

  it('keeps a refused step out of history and out of the log, and spends no sequence number on it', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('refused');
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    const refused = await step(h, { type: 'AcceptFiling', actor: staff }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'STEP_OUT_OF_ORDER' });
    await step(h, { type: 'CollectApplication', actor: supervisor });

    expect(keysAndVersions(log.callsFor(`credential-set-${setId}`))).toEqual([
      [`credential-set-${setId}:1`, 0],
      [`credential-set-${setId}:2`, 1],
    ]);
    const history = await h.fetchHistory();
    const updates = (history.events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateRejectedEventAttributes,
    );
    expect(updates).toHaveLength(2);
    expect(updates.every((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(true);
  });

  it('decides a step that arrives while another is appending on the state that step leaves', async () => {
    const partyId = uniqueId('party');
    // Short workflow tasks: while the first append is still running, the worker takes the next
    // task and the second Update arrives, passes its validator on the old state, and must wait.
    const h = await startParty(partyId, { workflowTaskTimeout: '1 second' });
    log.slowDownNext(`party-${partyId}`, 2500);
    const open = (s: string) =>
      h.executeUpdate(partyStep, {
        args: [{ type: 'OpenCredentialSet', actor: supervisor, setId: `${partyId}-${s}` }],
      });
    const first = open('a');
    await new Promise((r) => setTimeout(r, 300));
    const outcomes = await Promise.allSettled([first, open('b')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes[1] as PromiseRejectedResult;
    expect((rejected.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'ONE_SET_PER_PARTY' });
    expect(keysAndVersions(log.callsFor(`party-${partyId}`))).toEqual([
      [`party-${partyId}:1`, 0],
      [`party-${partyId}:2`, 1],
    ]);
    // The second Update was accepted into history (it passed its validator) before it was refused.
    const history = await h.fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(3);
  });

  it('takes a due step at its deadline, and after a renewal continues as new carrying state and sequence', async () => {
    const policy = await campaignFromNow(env);
    const setId = uniqueId('renewed');
    const streamId = `credential-set-${setId}`;
    const h = await startSet(env, setId, policy);
    await step(h, applyCommand(setId, false));
    await step(h, { type: 'CollectApplication', actor: supervisor });
    await step(h, { type: 'AcceptFiling', actor: staff });
    const issued = await issue(env, h, setId);
    const validUntil = Date.parse(issued.state.validUntil!);
    await moveTo(env, validUntil + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    const expiry = log.events(streamId).find((e) => e.type === 'CredentialSetExpired')!;
    expect([Date.parse(expiry.at), expiry.actor.role]).toEqual([validUntil, 'SYSTEM']);

    const renewed = await step(h, { type: 'RenewCredentialSet', actor: staff });
    const renewal = log.callsFor(streamId).at(-1)!;
    expect(renewal.events.map((e) => e.type)).toEqual(['CredentialSetRenewed']);
    const seqAtRenewal = Number(renewal.idempotencyKey.split(':').at(-1));

    // The first run ended by continuing as new, with the state and sequence it had reached.
    const first = await env.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).fetchHistory();
    const continued = first.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
    expect(continued).toBeTruthy();
    const [carriedInput] = continued!.input!.payloads!.map(
      (p) => JSON.parse(Buffer.from(p.data!).toString('utf8')) as CredentialSetWorkflowInput,
    );
    expect(carriedInput!.carried).toMatchObject({ seq: seqAtRenewal, state: renewed.state });
    expect((await h.describe()).runId).not.toBe(h.firstExecutionRunId);

    // The next run's step follows on: the next sequence number, at the version the renewal left.
    const secondExpiry = Date.parse(renewed.state.validUntil!);
    await moveTo(env, secondExpiry + 1000);
    await waitFor(async () => (await h.query(credentialSetState)).status === 'EXPIRED');
    expect(keysAndVersions(log.callsFor(streamId).slice(-1))).toEqual([
      [`${streamId}:${seqAtRenewal + 1}`, renewed.state.version],
    ]);
    // Every step of both runs: consecutive keys, each at the version the steps before reached.
    const calls = log.callsFor(streamId);
    let version = 0;
    calls.forEach((c, i) => {
      expect([c.idempotencyKey, c.expectedVersion]).toEqual([`${streamId}:${i + 1}`, version]);
      version += c.events.length;
    });
  });
});
