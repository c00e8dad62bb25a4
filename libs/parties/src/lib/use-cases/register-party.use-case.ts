import { decideParty, initialPartyState, type Actor, type PartyDetails, type PartyState } from '@certflow/domain';
import { ApplicationError } from '@certflow/application';
import { partyStep, partyWorkflow } from '@certflow/workflows';
import { nowIso, type CampaignContext } from '../campaign-context';
import { partyStateOrNull } from '../party-workflow';

/** Registers a party: checked by the domain first, then its workflow started and told. */
export class RegisterPartyUseCase {
  constructor(private readonly ctx: CampaignContext) {}

  async execute(actor: Actor, party: PartyDetails): Promise<PartyState> {
    const command = { type: 'RegisterParty' as const, at: nowIso(this.ctx), actor, party };
    const current = await partyStateOrNull(this.ctx, party.partyId);
    decideParty(command, current ?? initialPartyState, this.ctx.policy);
    const handle = await this.ctx.client.workflow
      .start(partyWorkflow, {
        workflowId: `party-${party.partyId}`,
        taskQueue: this.ctx.taskQueue,
        args: [{ partyId: party.partyId, policy: this.ctx.policy }],
      })
      .catch((e: unknown) => {
        if ((e as Error).name === 'WorkflowExecutionAlreadyStartedError') {
          throw new ApplicationError('PARTY_ALREADY_REGISTERED', `party ${party.partyId} is already registered`);
        }
        throw e;
      });
    return (await handle.executeUpdate(partyStep, { args: [command] })).state;
  }
}
