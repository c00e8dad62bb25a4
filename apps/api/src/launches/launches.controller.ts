import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@certflow/domain';
import { GetLaunchUseCase, LaunchCampaignUseCase } from '@certflow/launches';
import { CurrentActor } from '../http/actor.decorator';
import { IdempotencyKey } from '../http/idempotency-key.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { WithActor } from '../http/openapi';
import { Permission } from '../http/permission.decorator';
import { LaunchDto, launchOf } from './launch.dto';

@ApiTags('launches')
@WithActor()
@Controller('launches')
export class LaunchesController {
  constructor(
    private readonly launchCampaign: LaunchCampaignUseCase,
    private readonly getLaunch: GetLaunchUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  @Permission('launch.create')
  @Idempotent()
  @ApiOperation({
    summary: 'Launch a campaign: register each party of the list and apply for its first set, in the background',
  })
  launch(@CurrentActor() actor: Actor, @Body() b: LaunchDto, @IdempotencyKey() key?: string) {
    return this.launchCampaign.execute(actor, launchOf(b), key);
  }

  @Get(':launchId')
  @Permission('launch.read')
  @ApiOperation({ summary: "A launch's progress: launched, refused (with the rule), pending" })
  status(@Param('launchId') launchId: string) {
    return this.getLaunch.execute(launchId);
  }
}
