import type { Actor } from '@certflow/domain';
import type { FilingDecision } from '@certflow/parties';
import type { StepResult } from '@certflow/workflows';
import type { TakeCredentialSetStepUseCase } from './take-credential-set-step.use-case';

/** The filing (备案) of a set accepted, or rejected with a reason. */
export class DecideFilingUseCase {
  constructor(private readonly steps: TakeCredentialSetStepUseCase) {}

  execute(
    actor: Actor,
    setId: string,
    { decision, reason }: FilingDecision,
    idempotencyKey?: string,
  ): Promise<StepResult> {
    const command =
      decision === 'ACCEPT'
        ? ({ type: 'AcceptFiling' } as const)
        : ({ type: 'RejectFiling', reason: reason ?? '' } as const);
    return this.steps.execute(actor, setId, command, idempotencyKey);
  }
}
