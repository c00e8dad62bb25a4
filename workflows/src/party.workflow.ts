import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decideParty,
  foldParty,
  initialPartyState,
  SYSTEM_ACTOR,
  toInstant,
  type CampaignPolicy,
  type PartyCommand,
  type PartyEvent,
  type PartyState,
} from '@certflow/domain/lifecycle';
import type { AppendOutcome } from './activities';
import { appendEvents, STEPS_PER_RUN, type Untimed } from './append';
import { decideOrFail } from './failures';
import { Lock } from './lock';

export type PartyStepCommand = Untimed<PartyCommand>;

export interface PartyStepResult {
  readonly state: PartyState;
  readonly events: readonly PartyEvent[];
  readonly append: AppendOutcome | null;
}

export interface PartyWorkflowInput {
  readonly partyId: string;
  readonly policy: CampaignPolicy;
  readonly carried?: { readonly state: PartyState; readonly seq: number };
}

export const partyStep = defineUpdate<PartyStepResult, [PartyStepCommand]>('partyStep');
export const partyState = defineQuery<PartyState>('partyState');
/** A set of this party ended (rejected at filing, or revoked): its slot is free again. */
export const credentialSetEnded =
  defineSignal<[{ setId: string; everIssued: boolean; at: string }]>('credentialSetEnded');

/**
 * One party, id `party-<partyId>`: registration, additional-set filings, and the one-set rule.
 * Opening a set goes through this workflow's Updates one at a time, so of two concurrent
 * applications for one party exactly one gets a set (unless a filing allows both).
 */
export async function partyWorkflow(input: PartyWorkflowInput): Promise<PartyState> {
  const streamId = `party-${input.partyId}`;
  const { policy } = input;
  let state = input.carried?.state ?? initialPartyState;
  let seq = input.carried?.seq ?? 0;
  const firstSeq = seq;
  const lock = new Lock();

  const command = (c: PartyStepCommand): PartyCommand => ({ ...c, at: c.at ?? toInstant(Date.now()) });

  setHandler(partyState, () => state);
  setHandler(
    partyStep,
    (c) =>
      lock.run(async () => {
        const events = decideOrFail(() => decideParty(command(c), state, policy));
        seq += 1;
        const append = await appendEvents({
          streamId,
          events,
          expectedVersion: state.version,
          idempotencyKey: `${workflowInfo().workflowId}:${seq}`,
        });
        state = foldParty(events, state);
        return { state, events, append };
      }),
    { validator: (c: PartyStepCommand) => void decideOrFail(() => decideParty(command(c), state, policy)) },
  );

  setHandler(credentialSetEnded, ({ setId, everIssued, at }) =>
    lock.run(async () => {
      if (!state.openSets.includes(setId)) return; // closed already: signals may repeat
      const events = decideParty(
        { type: 'CloseCredentialSet', at, actor: SYSTEM_ACTOR, setId, everIssued },
        state,
        policy,
      );
      seq += 1;
      await appendEvents({
        streamId,
        events,
        expectedVersion: state.version,
        idempotencyKey: `${workflowInfo().workflowId}:${seq}`,
      });
      state = foldParty(events, state);
    }),
  );

  await condition(() => seq - firstSeq >= STEPS_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(() => lock.idle && allHandlersFinished());
  return continueAsNew<typeof partyWorkflow>({ partyId: input.partyId, policy, carried: { state, seq } });
}
