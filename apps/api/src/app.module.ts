import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { GetCredentialSetAsOfUseCase, GetCredentialSetHistoryUseCase } from '@certflow/audit';
import {
  ApplyForCredentialSetUseCase,
  CredentialSetViewRepository,
  DecideFilingUseCase,
  GetCredentialSetUseCase,
  ListCredentialSetsUseCase,
  TakeCredentialSetStepUseCase,
} from '@certflow/credential-sets';
import type { CampaignPolicy } from '@certflow/domain';
import type { PostgresEventStore } from '@certflow/event-store';
import { DrawFeeStatementsUseCase } from '@certflow/fees';
import { CheckReadinessUseCase } from '@certflow/health';
import { IdempotencyGate, IdempotencyRepository } from '@certflow/idempotency';
import { GetLaunchUseCase, LaunchCampaignUseCase } from '@certflow/launches';
import {
  DecideAdditionalSetFilingUseCase,
  GetPartyUseCase,
  ListPartiesUseCase,
  PartyViewRepository,
  RegisterPartyUseCase,
  SubmitAdditionalSetFilingUseCase,
  type CampaignContext,
} from '@certflow/parties';
import type { DataSource } from 'typeorm';
import { CredentialSetsController } from './credential-sets/credential-sets.controller';
import { FeesController } from './fees/fees.controller';
import { HealthController } from './health/health.controller';
import { IdempotencySweeper } from './http/idempotency.interceptor';
import { LaunchesController } from './launches/launches.controller';
import { PartiesController } from './parties/parties.controller';

/** What the API is built from: connections, the campaign's policy, the clock. */
export interface ApiDependencies extends CampaignContext {
  readonly db: DataSource;
  readonly client: Client;
  readonly store: PostgresEventStore;
  readonly policy: CampaignPolicy;
}

export const CONTROLLERS = [
  PartiesController,
  CredentialSetsController,
  LaunchesController,
  FeesController,
  HealthController,
];

/** Every use case, made once from the dependencies; Nest hands each to the controllers by class. */
export function useCases(deps: ApiDependencies): Provider[] {
  const parties = new PartyViewRepository(deps.db);
  const sets = new CredentialSetViewRepository(deps.db);
  const step = new TakeCredentialSetStepUseCase(deps);
  return [
    value(RegisterPartyUseCase, new RegisterPartyUseCase(deps)),
    value(ListPartiesUseCase, new ListPartiesUseCase(parties)),
    value(GetPartyUseCase, new GetPartyUseCase(deps)),
    value(SubmitAdditionalSetFilingUseCase, new SubmitAdditionalSetFilingUseCase(deps)),
    value(DecideAdditionalSetFilingUseCase, new DecideAdditionalSetFilingUseCase(deps)),
    value(ApplyForCredentialSetUseCase, new ApplyForCredentialSetUseCase(deps)),
    value(ListCredentialSetsUseCase, new ListCredentialSetsUseCase(sets)),
    value(GetCredentialSetUseCase, new GetCredentialSetUseCase(deps, sets)),
    value(TakeCredentialSetStepUseCase, step),
    value(DecideFilingUseCase, new DecideFilingUseCase(step)),
    value(GetCredentialSetAsOfUseCase, new GetCredentialSetAsOfUseCase(deps.store)),
    value(GetCredentialSetHistoryUseCase, new GetCredentialSetHistoryUseCase(deps.store)),
    value(LaunchCampaignUseCase, new LaunchCampaignUseCase(deps, deps.db)),
    value(GetLaunchUseCase, new GetLaunchUseCase(deps, deps.db)),
    value(DrawFeeStatementsUseCase, new DrawFeeStatementsUseCase(deps.store, sets)),
    value(CheckReadinessUseCase, new CheckReadinessUseCase(deps.db, deps.client)),
  ];
}

/** Idempotency keys in PostgreSQL: the interceptor on every route that changes something, and the sweep. */
export function idempotency(deps: Pick<ApiDependencies, 'db'>): Provider[] {
  const keys = new IdempotencyRepository(deps.db);
  return [value(IdempotencyGate, new IdempotencyGate(keys)), value(IdempotencySweeper, new IdempotencySweeper(keys))];
}

function value<T>(provide: Type<T>, useValue: T): Provider {
  return { provide, useValue };
}

@Module({})
export class AppModule {
  static register(deps: ApiDependencies): DynamicModule {
    return { module: AppModule, controllers: CONTROLLERS, providers: [...useCases(deps), ...idempotency(deps)] };
  }
}
