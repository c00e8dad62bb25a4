import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DrawFeeStatementsUseCase } from '@certflow/fees';
import { Permission } from '../http/permission.decorator';

@ApiTags('fees')
@Controller('fee-statements')
export class FeesController {
  constructor(private readonly drawStatements: DrawFeeStatementsUseCase) {}

  @Get()
  @Permission('fees.read')
  @ApiOperation({ summary: 'Statements per payer: FINANCE:<jurisdiction> or SELF:<partyId>' })
  @ApiQuery({ name: 'payer', required: false })
  @ApiQuery({ name: 'jurisdiction', required: false })
  statements(@Query('payer') payer?: string, @Query('jurisdiction') jurisdiction?: string) {
    return this.drawStatements.execute({ payer, jurisdiction });
  }
}
