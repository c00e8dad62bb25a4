import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@certflow/domain';
import {
  DecideAdditionalSetFilingUseCase,
  GetPartyUseCase,
  ListPartiesUseCase,
  RegisterPartyUseCase,
  SubmitAdditionalSetFilingUseCase,
} from '@certflow/parties';
import { CurrentActor } from '../http/actor.decorator';
import { FilingDecisionDto } from '../http/filing-decision.dto';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { WithActor } from '../http/openapi';
import { Permission } from '../http/permission.decorator';
import { partyDetailsOf, RegisterPartyDto, SubmitFilingDto } from './party.dto';

@ApiTags('parties')
@WithActor()
@Controller('parties')
export class PartiesController {
  constructor(
    private readonly registerParty: RegisterPartyUseCase,
    private readonly listParties: ListPartiesUseCase,
    private readonly getParty: GetPartyUseCase,
    private readonly submitAdditionalSetFiling: SubmitAdditionalSetFilingUseCase,
    private readonly decideAdditionalSetFiling: DecideAdditionalSetFilingUseCase,
  ) {}

  @Post()
  @Permission('party.register')
  @Idempotent()
  @ApiOperation({ summary: 'Register a party (any type of docs/domain.md §1)' })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterPartyDto) {
    return this.registerParty.execute(actor, partyDetailsOf(body));
  }

  @Get()
  @Permission('party.read')
  @ApiQuery({ name: 'jurisdiction', required: false })
  @ApiQuery({ name: 'partyType', required: false })
  list(@Query('jurisdiction') jurisdiction?: string, @Query('partyType') partyType?: string) {
    return this.listParties.execute({ jurisdiction, partyType });
  }

  @Get(':partyId')
  @Permission('party.read')
  get(@Param('partyId') partyId: string) {
    return this.getParty.execute(partyId);
  }

  @Post(':partyId/filings')
  @Permission('party.filing.submit')
  @Idempotent()
  @ApiOperation({ summary: 'Submit an additional-set filing (附件3)' })
  submitFiling(
    @CurrentActor() actor: Actor,
    @Param('partyId') partyId: string,
    @Body() b: SubmitFilingDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.submitAdditionalSetFiling.execute(actor, partyId, { ...b }, key);
  }

  @Post(':partyId/filings/:filingId/decision')
  @HttpCode(200)
  @Permission('party.filing.decide')
  @Idempotent()
  decideFiling(
    @CurrentActor() actor: Actor,
    @Param('partyId') partyId: string,
    @Param('filingId') filingId: string,
    @Body() b: FilingDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decideAdditionalSetFiling.execute(actor, partyId, filingId, b, key);
  }
}
