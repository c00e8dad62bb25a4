import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@certflow/domain';
import { CampaignService, problem } from '@certflow/campaign';
import { CurrentActor, IdempotencyKey } from './actor';
import {
  ApplyDto,
  DecideFilingDto,
  FilingDecisionDto,
  IssueDto,
  LaunchDto,
  PlatformDto,
  RegisterPartyDto,
  ReissueDto,
  RevokeDto,
  SubmitFilingDto,
} from './dto';

// One line per route: who may call it is the domain's rule (roles per step in the policy); the
// controller passes the actor, the validated body, and nothing else.

const actorHeaders = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'on steps: a retry with the same key gets the first answer and takes effect once',
  }),
  ApiHeader({ name: 'X-Actor-Id', required: false, description: 'who acts (default: CERTFLOW_DEFAULT_ACTOR)' }),
  ApiHeader({
    name: 'X-Actor-Role',
    required: false,
    description: 'FINANCE_STAFF, SUPERVISING_UNIT, SERVICE_WINDOW, PARTY, AUDITOR',
  }),
];
// Every refusal is application/problem+json (RFC 9457) with `rule`, `detail` and, for fields, `errors`.
const problems = [
  [400, 'a field is malformed or breaks a rule (errors name each field)'],
  [401, 'actor headers missing or unknown role'],
  [403, 'the role may not take this step'],
  [404, 'unknown party or set'],
  [409, 'conflict: out of order, already done, one set per party'],
  [422, 'a dated rule refuses it now (window, deadline, opening day)'],
  [503, 'PostgreSQL or Temporal unavailable'],
] as const;
const WithActor = () =>
  applyDecorators(
    ...actorHeaders,
    ...problems.map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );

@ApiTags('parties')
@WithActor()
@Controller('parties')
export class PartiesController {
  constructor(private readonly campaign: CampaignService) {}

  @Post()
  @ApiOperation({ summary: 'Register a party (any type of DOMAIN.md §1)' })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterPartyDto) {
    return this.campaign.registerParty(actor, { ...body, supervisingUnitId: body.supervisingUnitId ?? null });
  }

  @Get()
  @ApiQuery({ name: 'jurisdiction', required: false })
  @ApiQuery({ name: 'partyType', required: false })
  list(@Query('jurisdiction') jurisdiction?: string, @Query('partyType') partyType?: string) {
    return this.campaign.listParties({
      ...(jurisdiction ? { jurisdiction } : {}),
      ...(partyType ? { partyType } : {}),
    });
  }

  @Get(':partyId')
  get(@Param('partyId') partyId: string) {
    return this.campaign.party(partyId);
  }

  @Post(':partyId/filings')
  @ApiOperation({ summary: 'Submit an additional-set filing (附件3)' })
  submitFiling(
    @CurrentActor() actor: Actor,
    @Param('partyId') partyId: string,
    @Body() b: SubmitFilingDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.partyStep(actor, partyId, { type: 'SubmitAdditionalSetFiling', ...b }, key);
  }

  @Post(':partyId/filings/:filingId/decision')
  @HttpCode(200)
  decideFiling(
    @CurrentActor() actor: Actor,
    @Param('partyId') partyId: string,
    @Param('filingId') filingId: string,
    @Body() b: DecideFilingDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.partyStep(
      actor,
      partyId,
      b.approve
        ? { type: 'ApproveAdditionalSetFiling', filingId }
        : { type: 'RejectAdditionalSetFiling', filingId, reason: b.reason ?? '' },
      key,
    );
  }
}

@ApiTags('credential sets')
@WithActor()
@Controller('credential-sets')
export class CredentialSetsController {
  constructor(private readonly campaign: CampaignService) {}

  @Post()
  @ApiOperation({ summary: 'Apply for a set: new (新办) or replacement (更换)' })
  apply(@CurrentActor() actor: Actor, @Body() b: ApplyDto) {
    return this.campaign.apply(actor, { ...b, oldCredential: b.oldCredential ?? null });
  }

  @Get()
  @ApiQuery({ name: 'partyId', required: false })
  @ApiQuery({ name: 'jurisdiction', required: false })
  @ApiQuery({ name: 'status', required: false })
  list(
    @Query('partyId') partyId?: string,
    @Query('jurisdiction') jurisdiction?: string,
    @Query('status') status?: string,
  ) {
    return this.campaign.listSets({
      ...(partyId ? { partyId } : {}),
      ...(jurisdiction ? { jurisdiction } : {}),
      ...(status ? { status } : {}),
    });
  }

  @Get(':setId')
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
    if (consistency !== undefined && consistency !== 'eventual' && consistency !== 'strong') {
      throw problem(400, 'INVALID_FIELD', "consistency: 'eventual' or 'strong'", {
        errors: [{ path: 'consistency', rule: "'eventual' or 'strong'" }],
      });
    }
    if (asOf === undefined) return this.campaign.set(setId, consistency === 'strong' ? 'strong' : 'eventual');
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(asOf) ||
      Number.isNaN(Date.parse(asOf))
    ) {
      throw problem(400, 'INVALID_FIELD', 'asOf: an ISO-8601 instant with offset', {
        errors: [{ path: 'asOf', rule: 'an ISO-8601 instant with offset' }],
      });
    }
    if (basis !== undefined && basis !== 'recorded' && basis !== 'business') {
      throw problem(400, 'INVALID_FIELD', "basis: 'recorded' or 'business'", {
        errors: [{ path: 'basis', rule: "'recorded' or 'business'" }],
      });
    }
    return this.campaign.setAsOf(setId, asOf, basis === 'business' ? 'BUSINESS' : 'RECORDED');
  }

  @Get(':setId/history')
  history(@Param('setId') setId: string) {
    return this.campaign.history(setId);
  }

  @Post(':setId/collect')
  @HttpCode(200)
  collect(@CurrentActor() actor: Actor, @Param('setId') setId: string, @IdempotencyKey() key: string | undefined) {
    return this.campaign.step(actor, setId, { type: 'CollectApplication' }, key);
  }

  @Post(':setId/filing')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept or reject the filing (备案)' })
  file(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: FilingDecisionDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(
      actor,
      setId,
      b.decision === 'ACCEPT' ? { type: 'AcceptFiling' } : { type: 'RejectFiling', reason: b.reason ?? '' },
      key,
    );
  }

  @Post(':setId/issue')
  @HttpCode(200)
  issue(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: IssueDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(actor, setId, { type: 'IssueCredentialSet', ca: { ...b.ca }, seal: { ...b.seal } }, key);
  }

  @Post(':setId/unbind-old')
  @HttpCode(200)
  unbind(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: PlatformDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(actor, setId, { type: 'UnbindOldCredential', platform: b.platform }, key);
  }

  @Post(':setId/bind-new')
  @HttpCode(200)
  bind(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: PlatformDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(actor, setId, { type: 'BindNewCredential', platform: b.platform }, key);
  }

  @Post(':setId/renew')
  @HttpCode(200)
  renew(@CurrentActor() actor: Actor, @Param('setId') setId: string, @IdempotencyKey() key: string | undefined) {
    return this.campaign.step(actor, setId, { type: 'RenewCredentialSet' }, key);
  }

  @Post(':setId/reissue')
  @HttpCode(200)
  reissue(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: ReissueDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(
      actor,
      setId,
      {
        type: 'ReissueCredentialSet',
        reason: b.reason,
        ca: { ...b.ca },
        seal: { ...b.seal },
      },
      key,
    );
  }

  @Post(':setId/revoke')
  @HttpCode(200)
  revoke(
    @CurrentActor() actor: Actor,
    @Param('setId') setId: string,
    @Body() b: RevokeDto,
    @IdempotencyKey() key: string | undefined,
  ) {
    return this.campaign.step(
      actor,
      setId,
      { type: 'RevokeCredentialSet', reason: b.reason, note: b.note ?? null },
      key,
    );
  }
}

@ApiTags('launches')
@WithActor()
@Controller('launches')
export class LaunchesController {
  constructor(private readonly campaign: CampaignService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Launch a campaign: register each party of the list and apply for its first set, in the background',
  })
  launch(@CurrentActor() actor: Actor, @Body() b: LaunchDto) {
    return this.campaign.launch(actor, {
      ...(b.launchId ? { launchId: b.launchId } : {}),
      items: b.items.map((i) => ({
        party: { ...i.party, contact: { ...i.party.contact }, supervisingUnitId: i.party.supervisingUnitId ?? null },
        setId: i.setId,
        kind: i.kind,
        oldCredential: i.oldCredential ? { ...i.oldCredential } : null,
      })),
    });
  }

  @Get(':launchId')
  @ApiOperation({ summary: "A launch's progress: launched, refused (with the rule), pending" })
  status(@Param('launchId') launchId: string) {
    return this.campaign.launchStatus(launchId);
  }
}

@ApiTags('fees')
@Controller('fee-statements')
export class FeesController {
  constructor(private readonly campaign: CampaignService) {}

  @Get()
  @ApiOperation({ summary: 'Statements per payer: FINANCE:<jurisdiction> or SELF:<partyId>' })
  @ApiQuery({ name: 'payer', required: false })
  @ApiQuery({ name: 'jurisdiction', required: false })
  statements(@Query('payer') payer?: string, @Query('jurisdiction') jurisdiction?: string) {
    return this.campaign.feeStatements({ ...(payer ? { payer } : {}), ...(jurisdiction ? { jurisdiction } : {}) });
  }
}

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly campaign: CampaignService) {}

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) res: { status(n: number): void }) {
    const checks = await this.campaign.readiness();
    const ok = checks.postgres && checks.temporal;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'unavailable', checks };
  }
}
