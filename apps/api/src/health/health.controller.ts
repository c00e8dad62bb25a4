import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CheckReadinessUseCase } from '@certflow/health';
import { Permission } from '../http/permission.decorator';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly readiness: CheckReadinessUseCase) {}

  @Get('health')
  @Permission('public')
  health() {
    return { status: 'ok' };
  }

  /** 200 when PostgreSQL and Temporal both answer, 503 naming what is not ready; within two seconds. */
  @Get('ready')
  @Permission('public')
  async ready(@Res({ passthrough: true }) res: { status(n: number): void }) {
    const { notReady, ...checks } = await this.readiness.execute();
    const ok = notReady.length === 0;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'unavailable', checks, ...(ok ? {} : { notReady }) };
  }
}
