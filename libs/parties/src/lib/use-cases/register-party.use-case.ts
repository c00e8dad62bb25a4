import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { decideParty, initialPartyState, type Actor, type PartyDetails, type PartyState } from '@certflow/domain';
import { ApplicationError, failpoint } from '@certflow/application';
import { partyRegistered, partyWorkflow, type PartyWorkflowInput } from '@certflow/workflows';
import { nowIso, type CampaignContext } from '../campaign-context';
import { readPartyState } from '../party-read';
import { beforeUpdateWithin, stepDeadline } from '../step-deadline';

/**
 * Registers a party: checked by the domain first, then its workflow started with the registration
 * as its first step, one act, so a crash leaves either no workflow or a registered party. A retry
 * of the same registration (the answer was lost) answers the party as registered; other details
 * under a registered id are PARTY_ALREADY_REGISTERED.
 */
export class RegisterPartyUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  async execute(actor: Actor, party: PartyDetails): Promise<PartyState> {
    const registration = { type: 'RegisterParty' as const, at: nowIso(this.ctx), actor, party };
    decideParty(registration, initialPartyState, this.ctx.policy);
    // Within the step deadline: past it 503, and a retry answers the registration once it is recorded.
    const target = { kind: 'party', id: party.partyId } as const;
    return beforeUpdateWithin(this.ctx, target, stepDeadline(this.ctx), () => this.register(registration));
  }

  private async register(registration: RegisterParty): Promise<PartyState> {
    const { party } = registration;
    // A launched party has its stream before its workflow; a registered one answers its query.
    const known = await readPartyState(this.ctx, party.partyId);
    if (known?.party) return sameRegistration(known, party);
    const workflowId = `party-${party.partyId}`;
    try {
      await this.ctx.client.workflow.start(partyWorkflow, {
        workflowId,
        taskQueue: this.ctx.taskQueue,
        args: [{ partyId: party.partyId, policy: this.ctx.policy, registration }],
      });
      failpoint('register.after-start');
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    }
    return sameRegistration(await this.registered(workflowId), party);
  }

  /** The party once its workflow has recorded the registration; the workflow's refusal if it failed. */
  private async registered(workflowId: string): Promise<PartyState> {
    const handle = this.ctx.client.workflow.getHandle(workflowId);
    try {
      return await handle.executeUpdate(partyRegistered, { args: [] });
    } catch (e) {
      // A workflow that has ended answers no Update: it failed, its registration refused.
      if (e instanceof WorkflowNotFoundError) {
        await handle.result().catch((failed: unknown) => {
          if (failed instanceof WorkflowFailedError) throw failed;
        });
      }
      throw e;
    }
  }
}

type RegisterParty = NonNullable<PartyWorkflowInput['registration']>;

function sameRegistration(state: PartyState, party: PartyDetails): PartyState {
  if (state.party && canonical(state.party) === canonical(party)) return state;
  throw new ApplicationError('PARTY_ALREADY_REGISTERED', `party ${party.partyId} is already registered`);
}

/** JSON with keys in order: the same details however their keys were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
