import { WorkflowNotFoundError } from '@temporalio/client';
import {
  decideParty,
  foldCredentialSet,
  foldParty,
  isEnded,
  SYSTEM_ACTOR,
  type CredentialSetEvent,
  type PartyEvent,
  type PartyState,
} from '@certflow/domain';
import { notFound } from '@certflow/application';
import { partyState } from '@certflow/workflows';
import type { CampaignContext } from './campaign-context';

/**
 * A party's state for a read: asks its workflow if it runs, else folds its stream (a launched
 * party whose workflow has not started). Starts nothing and appends nothing; a launched party's
 * sets that ended meanwhile show as closed, as its workflow will record once a write starts it.
 */
export async function readPartyState(
  ctx: Pick<CampaignContext, 'client' | 'store' | 'policy'>,
  partyId: string,
): Promise<PartyState | null> {
  try {
    return await ctx.client.workflow.getHandle(`party-${partyId}`).query(partyState);
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  }
  const events = await ctx.store.readStreamToArray(`party-${partyId}`);
  if (events.length === 0) return null;
  let state = foldParty(events.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as PartyEvent));
  for (const setId of state.openSets) {
    const setEvents = await ctx.store.readStreamToArray(`credential-set-${setId}`);
    const set = foldCredentialSet(
      setEvents.map((e) => ({ type: e.type, at: e.at, actor: e.actor, data: e.data }) as CredentialSetEvent),
    );
    if (!isEnded(set)) continue;
    const at = setEvents[setEvents.length - 1]!.at;
    const close = {
      type: 'CloseCredentialSet',
      at,
      actor: SYSTEM_ACTOR,
      setId,
      everIssued: set.issuedAt !== null,
    } as const;
    // The version stays the stream's: the close is not written until the workflow records it.
    state = { ...foldParty(decideParty(close, state, ctx.policy), state), version: state.version };
  }
  return state;
}

/** A party's state for a read; NOT_FOUND for a party nobody registered. */
export async function readRegisteredParty(
  ctx: Pick<CampaignContext, 'client' | 'store' | 'policy'>,
  partyId: string,
): Promise<PartyState> {
  const state = await readPartyState(ctx, partyId);
  if (!state?.party) throw notFound(`party ${partyId}`);
  return state;
}
