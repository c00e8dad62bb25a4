import { condition, continueAsNew, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
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
import type { Untimed } from './append';
import { StepRunner } from './step-runner';

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
  const { policy } = input;
  const steps = new StepRunner<PartyState, PartyEvent>({
    streamId: `party-${input.partyId}`,
    state: input.carried?.state ?? initialPartyState,
    seq: input.carried?.seq ?? 0,
    fold: foldParty,
  });

  const command = (c: PartyStepCommand): PartyCommand => ({ ...c, at: c.at ?? toInstant(Date.now()) });

  setHandler(partyState, () => steps.state);
  steps.handleSteps(partyStep, (c) => decideParty(command(c), steps.state, policy));

  setHandler(credentialSetEnded, ({ setId, everIssued, at }) =>
    steps.exclusive(async () => {
      if (!steps.state.openSets.includes(setId)) return; // closed already: signals may repeat
      const close = { type: 'CloseCredentialSet', at, actor: SYSTEM_ACTOR, setId, everIssued } as const;
      await steps.record(decideParty(close, steps.state, policy));
    }),
  );

  await condition(() => steps.runIsFull());
  await steps.settled();
  return continueAsNew<typeof partyWorkflow>({
    partyId: input.partyId,
    policy,
    carried: { state: steps.state, seq: steps.seq },
  });
}
