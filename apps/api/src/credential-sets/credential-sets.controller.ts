import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@certflow/domain';
import { GetCredentialSetAsOfUseCase, GetCredentialSetHistoryUseCase } from '@certflow/audit';
import {
  ApplyForCredentialSetUseCase,
  DecideFilingUseCase,
  GetCredentialSetUseCase,
  ListCredentialSetsUseCase,
  TakeCredentialSetStepUseCase,
} from '@certflow/credential-sets';
import { CurrentActor } from '../http/actor.decorator';
import { FilingDecisionDto } from '../http/filing-decision.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { WithActor } from '../http/openapi';
import { Permission } from '../http/permission.decorator';
import { parseSetRead } from '../http/set-read-query';
import { applicationOf, ApplyDto, IssueDto, issuedOf, PlatformDto, ReissueDto, RevokeDto } from './credential-set.dto';

@ApiTags('credential sets')
@WithActor()
@Controller('credential-sets')
export class CredentialSetsController {
  constructor(
    private readonly applyForSet: ApplyForCredentialSetUseCase,
    private readonly listSets: ListCredentialSetsUseCase,
    private readonly getSet: GetCredentialSetUseCase,
    private readonly getSetAsOf: GetCredentialSetAsOfUseCase,
    private readonly getHistory: GetCredentialSetHistoryUseCase,
    private readonly step: TakeCredentialSetStepUseCase,
    private readonly decideFiling: DecideFilingUseCase,
  ) {}

  @Post()
  @Permission('credentialSet.apply')
  @Idempotent()
  @ApiOperation({ summary: 'Apply for a set: new (新办) or replacement (更换)' })
  apply(@CurrentActor() actor: Actor, @Body() b: ApplyDto, @IdempotencyKey() key?: string) {
    return this.applyForSet.execute(actor, applicationOf(b, key));
  }

  @Get()
  @Permission('credentialSet.read')
  @ApiQuery({ name: 'partyId', required: false })
  @ApiQuery({ name: 'jurisdiction', required: false })
  @ApiQuery({ name: 'status', required: false })
  list(
    @Query('partyId') partyId?: string,
    @Query('jurisdiction') jurisdiction?: string,
    @Query('status') status?: string,
  ) {
    return this.listSets.execute({ partyId, jurisdiction, status });
  }

  @Get(':setId')
  @Permission('credentialSet.read')
  @ApiOperation({ summary: "A set's state now, or as of an instant by recorded or business time" })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 instant with offset' })
  @ApiQuery({ name: 'basis', required: false, enum: ['recorded', 'business'] })
  @ApiQuery({
    name: 'consistency',
    required: false,
    enum: ['eventual', 'strong'],
    description: "eventual (default): the read model, current within milliseconds; strong: ask the set's workflow",
  })
  get(
    @Param('setId') setId: string,
    @Query('asOf') asOf?: string,
    @Query('basis') basis?: string,
    @Query('consistency') consistency?: string,
  ) {
    const read = parseSetRead({ asOf, basis, consistency });
    return read.asOf === undefined
      ? this.getSet.execute(setId, read.consistency)
      : this.getSetAsOf.execute(setId, read.asOf, read.basis);
  }

  @Get(':setId/history')
  @Permission('audit.read')
  history(@Param('setId') setId: string) {
    return this.getHistory.execute(setId);
  }

  @Post(':setId/collect')
  @HttpCode(200)
  @Permission('credentialSet.collect')
  @Idempotent()
  collect(@CurrentActor() actor: Actor, @Param('setId') setId: string, @IdempotencyKey() key?: string) {
    return this.step.execute(actor, setId, { type: 'CollectApplication' }, key);
  }

  @Post(':setId/filing')
  @HttpCode(200)
  @Permission('credentialSet.filing.decide')
  @Idempotent()
  @ApiOperation({ summary: 'Accept or reject the filing (备案)' })
  file(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: FilingDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decideFiling.execute(actor, setId, b, key);
  }

  @Post(':setId/issue')
  @HttpCode(200)
  @Permission('credentialSet.issue')
  @Idempotent()
  issue(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: IssueDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.step.execute(actor, setId, { type: 'IssueCredentialSet', ...issuedOf(b) }, key);
  }

  @Post(':setId/unbind-old')
  @HttpCode(200)
  @Permission('credentialSet.unbindOld')
  @Idempotent()
  unbind(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: PlatformDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.step.execute(actor, setId, { type: 'UnbindOldCredential', platform: b.platform }, key);
  }

  @Post(':setId/bind-new')
  @HttpCode(200)
  @Permission('credentialSet.bindNew')
  @Idempotent()
  bind(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: PlatformDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.step.execute(actor, setId, { type: 'BindNewCredential', platform: b.platform }, key);
  }

  @Post(':setId/renew')
  @HttpCode(200)
  @Permission('credentialSet.renew')
  @Idempotent()
  renew(@CurrentActor() actor: Actor, @Param('setId') setId: string, @IdempotencyKey() key?: string) {
    return this.step.execute(actor, setId, { type: 'RenewCredentialSet' }, key);
  }

  @Post(':setId/reissue')
  @HttpCode(200)
  @Permission('credentialSet.reissue')
  @Idempotent()
  reissue(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: ReissueDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.step.execute(actor, setId, { type: 'ReissueCredentialSet', reason: b.reason, ...issuedOf(b) }, key);
  }

  @Post(':setId/revoke')
  @HttpCode(200)
  @Permission('credentialSet.revoke')
  @Idempotent()
  revoke(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: RevokeDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.step.execute(
      actor,
      setId,
      { type: 'RevokeCredentialSet', reason: b.reason, note: b.note ?? null },
      key,
    );
  }
}
