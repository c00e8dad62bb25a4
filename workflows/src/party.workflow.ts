import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  decideCredentialSet,
  decideParty,
  foldParty,
  initialCredentialSetState,
  initialPartyState,
  SYSTEM_ACTOR,
  toInstant,
  type Actor,
  type CampaignPolicy,
  type OldCredential,
  type PartyCommand,
  type PartyEvent,
  type PartyState,
} from '@certflow/domain/lifecycle';
import type { AppendOutcome, SetApplication } from './activities';
import type { Untimed } from './append';
import { asAppendFailure, decideOrFail } from './failures';
import { stepKey } from './step-key';
import { setEndFromLog, type SetEndSignal } from './set-end';
import { startSetDurably } from './set-start';
import { StepRunner, type AnsweredStep } from './step-runner';
import { BUSINESS_TIME_OUT_OF_TOLERANCE, BUSINESS_TIME_TOLERANCE_MS, refuseUntrusted } from './trust';

export type PartyStepCommand = Untimed<PartyCommand>;

export interface PartyStepResult {
  readonly state: PartyState;
  readonly events: readonly PartyEvent[];
  readonly append: AppendOutcome | null;
}

export interface PartyWorkflowInput {
  readonly partyId: string;
  readonly policy: CampaignPolicy;
  /**
   * Since durable registration (issue 11): the registration the workflow records as its first step,
   * so starting the workflow and registering the party are one act. Absent in the first releases'
   * histories (registered by a `partyStep` Update after the start) and in a launched party's.
   */
  readonly registration?: Extract<PartyCommand, { type: 'RegisterParty' }>;
  readonly carried?: {
    readonly state: PartyState;
    readonly seq: number;
    /** The latest staff steps' answers (since 'carry-step-answers'). */
    readonly answered?: readonly AnsweredStep<PartyState, PartyEvent>[];
  };
}

export const partyStep = defineUpdate<PartyStepResult, [PartyStepCommand]>('partyStep');
export const partyState = defineQuery<PartyState>('partyState');
/**
 * An application for a set, as the API sends it to the party. The party opens the slot and starts
 * the set's workflow with the application (which the set records as its first step), in one
 * Update: an application is then either not accepted at all, or both slot and set come to be.
 */
export interface PartySetApplication {
  readonly setId: string;
  readonly kind: 'NEW' | 'REPLACEMENT';
  readonly oldCredential: OldCredential | null;
  readonly actor: Actor;
  readonly at?: string;
  /** The set's policy (the campaign's current one) and whether its workflow keeps search attributes. */
  readonly policy: CampaignPolicy;
  readonly indexed?: boolean;
}

/** Opens a slot and starts its set (see PartySetApplication); answers the party's step. */
export const applyForCredentialSet = defineUpdate<PartyStepResult, [PartySetApplication]>('applyForCredentialSet');
/** Read-only: waits until the party is registered and answers its state (a retried registration's answer). */
export const partyRegistered = defineUpdate<PartyState, []>('partyRegistered');
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
    ...(input.carried?.answered ? { answered: input.carried.answered } : {}),
    fold: foldParty,
  });

  const command = (c: PartyStepCommand): PartyCommand => ({ ...c, at: c.at ?? toInstant(Date.now()) });

  setHandler(partyState, () => steps.state);
  steps.handleSteps(partyStep, (c) => decideParty(command(c), steps.state, policy));
  setHandler(partyRegistered, async () => {
    await condition(() => steps.state.party !== null);
    return steps.state;
  });
  handleApplications(steps, policy);

  // The end as the set's stream shows it (set-end.ts); the close's append retried after a durable
  // wait if the store stays away (step-runner.ts, takeOwnStep).
  const close = ({ setId, at, everIssued }: SetEndSignal) =>
    steps.takeOwnStep(() => {
      if (!steps.state.openSets.includes(setId)) return null; // closed already: signals may repeat
      const closing = { type: 'CloseCredentialSet', at, actor: SYSTEM_ACTOR, setId, everIssued } as const;
      return decideParty(closing, steps.state, policy);
    });
  setHandler(credentialSetEnded, (signal) => {
    if (!steps.state.openSets.includes(signal.setId)) return undefined;
    // The first releases took the signal's word: their histories replay on this branch.
    if (!patched('set-end-from-log')) return close(signal);
    return setEndFromLog(signal.setId).then((end) => (end ? close({ setId: signal.setId, ...end }) : undefined));
  });

  // The registration the workflow was started with comes before any Update (they wait on the lock).
  // Refused (the policy changed between the API's check and now), the workflow fails with the rule
  // and the party id stays free.
  const { registration } = input;
  if (registration && !input.carried) {
    await steps.exclusive(async () => {
      refuseUntrustedStart(registration);
      return steps.record(decideOrFail(() => decideParty(registration, steps.state, policy)));
    });
  }

  await condition(() => steps.runIsFull());
  await steps.settled();
  return continueAsNew<typeof partyWorkflow>({
    partyId: input.partyId,
    policy,
    carried: {
      state: steps.state,
      seq: steps.seq,
      // Added in issue 11: runs that continued before it carried no answers.
      ...(patched('carry-step-answers') ? { answered: steps.answers() } : {}),
    },
  });
}

/**
 * A registration comes with the start, from outside like an Update (trust.ts): never the SYSTEM
 * actor, and its business time within the tolerance of when the server started the workflow (not
 * of the first workflow task, which a worker that was away may run much later).
 */
function refuseUntrustedStart(registration: NonNullable<PartyWorkflowInput['registration']>): void {
  refuseUntrusted({ actor: registration.actor });
  const started = workflowInfo().runStartTime.getTime();
  const at = Date.parse(registration.at);
  if (Number.isNaN(at) || Math.abs(at - started) > BUSINESS_TIME_TOLERANCE_MS) {
    throw ApplicationFailure.create({
      type: BUSINESS_TIME_OUT_OF_TOLERANCE,
      message: `at ${registration.at} is more than ${BUSINESS_TIME_TOLERANCE_MS / 60_000} minutes from the workflow's start (${new Date(started).toISOString()})`,
      details: [{ field: 'at', at: registration.at, toleranceMs: BUSINESS_TIME_TOLERANCE_MS }],
      nonRetryable: true,
    });
  }
}

/**
 * Applications: decided as the API decided them (the party's open, then the set's apply on a new
 * set). Under the lock the slot is recorded, then the set's workflow is started with its
 * application by an idempotent activity, taken again after a durable wait until Temporal takes the
 * start (set-start.ts). A crash in between replays to the same point, so the set always comes to be.
 * Only a set id taken between the API's check and the start (a race) fails the start: the slot is
 * closed again and the Update fails with SET_ALREADY_EXISTS.
 */
function handleApplications(steps: StepRunner<PartyState, PartyEvent>, policy: CampaignPolicy): void {
  const plan = (a: PartySetApplication) => {
    const at = a.at ?? toInstant(Date.now());
    const opened = decideParty({ type: 'OpenCredentialSet', at, actor: a.actor, setId: a.setId }, steps.state, policy);
    const party = steps.state.party!; // opening a set was refused otherwise
    const first = opened.find((e) => e.type === 'CredentialSetOpened');
    const command: SetApplication['command'] = {
      type: 'ApplyForCredentialSet',
      at,
      actor: a.actor,
      setId: a.setId,
      party: {
        partyId: party.partyId,
        partyType: party.partyType,
        jurisdiction: party.jurisdiction,
        supervisingUnitId: party.supervisingUnitId,
      },
      kind: a.kind,
      oldCredential: a.oldCredential,
      firstSetOfParty: first?.type === 'CredentialSetOpened' ? first.data.firstSetOfParty : false,
    };
    decideCredentialSet(command, initialCredentialSetState, a.policy);
    return { opened, command };
  };
  setHandler(
    applyForCredentialSet,
    (a) =>
      steps.exclusive(async () => {
        const { opened, command } = decideOrFail(() => plan(a));
        const outcome = await steps.record(opened).catch((e: unknown) => {
          throw asAppendFailure(e);
        });
        const origin = stepKey(workflowInfo().workflowId, steps.seq);
        try {
          await startSetDurably({
            setId: a.setId,
            policy: a.policy,
            indexed: a.indexed ?? false,
            application: { command, origin },
          });
        } catch (e) {
          const close = {
            type: 'CloseCredentialSet',
            at: command.at,
            actor: SYSTEM_ACTOR,
            setId: a.setId,
            everIssued: false,
          } as const;
          await steps.record(decideParty(close, steps.state, policy));
          throw e;
        }
        return outcome;
      }),
    {
      validator: (a: PartySetApplication) => {
        refuseUntrusted(a);
        decideOrFail(() => plan(a));
      },
    },
  );
}
