import { WorkflowNotFoundError } from '@temporalio/client';
import { foldParty, isEnded, type Actor, type PartyEvent, type PartyState } from '@certflow/domain';
import { notFound } from '@certflow/application';
import {
  credentialSetEnded,
  credentialSetState,
  partyState,
  partyStep,
  partyWorkflow,
  type PartyStepCommand,
} from '@certflow/workflows';
import { nowIso, type CampaignContext } from './campaign-context';
import { beforeUpdateWithin, stepDeadline, updateWithinDeadline } from './step-deadline';

/** Party step commands as staff send them: no time (stamped here), no actor (from the request). */
export type StaffPartyStep = PartyStepCommand extends infer C
  ? C extends PartyStepCommand
    ? Omit<C, 'at' | 'actor'>
    : never
  : never;

/** The party's state from its workflow, starting a launched party's workflow first; null if unknown. */
export async function partyStateOrNull(ctx: CampaignContext, partyId: string): Promise<PartyState | null> {
  try {
    return await ctx.client.workflow.getHandle(`party-${partyId}`).query(partyState);
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  return activateParty(ctx, partyId);
}

/** The party's state; NOT_FOUND for a party nobody registered. */
export async function requireParty(ctx: CampaignContext, partyId: string): Promise<PartyState> {
  const state = await partyStateOrNull(ctx, partyId);
  if (!state?.party) throw notFound(`party ${partyId}`);
  return state;
}

/** Sends a staff step to a known party's workflow and answers the party's state after it. */
export async function takePartyStep(
  ctx: CampaignContext,
  actor: Actor,
  partyId: string,
  command: StaffPartyStep,
  idempotencyKey?: string,
): Promise<PartyState> {
  // One deadline for the whole request: the party's query (which needs the worker) and the Update.
  const target = { kind: 'party', id: partyId } as const;
  const deadline = stepDeadline(ctx);
  await beforeUpdateWithin(ctx, target, deadline, () => requireParty(ctx, partyId));
  const c = { ...command, at: nowIso(ctx), actor } as PartyStepCommand;
  return (await updateWithinDeadline(ctx, target, partyStep, c, idempotencyKey, deadline)).state;
}

/**
 * A party launched in bulk has its events but no workflow until something needs it: a campaign
 * of 10^6 sets then runs 10^6 workflows, not twice as many. Its workflow starts here from its
 * stream, and learns of its sets that ended meanwhile (their signal found no workflow).
 */
export async function activateParty(ctx: CampaignContext, partyId: string): Promise<PartyState | null> {
  const streamId = `party-${partyId}`;
  const events = await ctx.store.readStreamToArray(streamId);
  if (events.length === 0) return null;
  const state = foldParty(events.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as PartyEvent));
  // The workflow's append keys are `party-<id>:<seq>`; it carries on after the highest.
  const seq = Math.max(0, ...events.map((e) => Number(/:(\d+)#\d+$/.exec(e.idempotencyKey)?.[1] ?? 0)));
  await ctx.client.workflow
    .start(partyWorkflow, {
      workflowId: streamId,
      taskQueue: ctx.taskQueue,
      args: [{ partyId, policy: ctx.policy, carried: { state, seq } }],
    })
    .catch((e: unknown) => {
      if ((e as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw e;
    });
  for (const setId of state.openSets) await closeIfEnded(ctx, partyId, setId);
  return ctx.client.workflow.getHandle(streamId).query(partyState);
}

async function closeIfEnded(ctx: CampaignContext, partyId: string, setId: string): Promise<void> {
  const set = await ctx.client.workflow
    .getHandle(`credential-set-${setId}`)
    .query(credentialSetState)
    .catch(() => null);
  if (!set || !isEnded(set)) return;
  const [last] = (await ctx.store.readStreamToArray(`credential-set-${setId}`)).slice(-1);
  // The set's own signal, the one its workflow sends when it ends: an Update from outside may not
  // carry the SYSTEM actor or a backdated time (workflows/src/trust.ts). A repeat is ignored.
  const party = ctx.client.workflow.getHandle(`party-${partyId}`);
  await party.signal(credentialSetEnded, { setId, everIssued: set.issuedAt !== null, at: last?.at ?? nowIso(ctx) });
  // So that the answer after it already shows the slot free (a few seconds at most).
  for (let i = 0; i < 100 && (await party.query(partyState)).openSets.includes(setId); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}
