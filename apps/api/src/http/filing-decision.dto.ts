import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsTextOf } from './input-grammar';

/** The decision on a filing, of a party (additional sets) or of a set (备案): one shape for both. */
export class FilingDecisionDto {
  @ApiProperty({ enum: ['ACCEPT', 'REJECT'] }) @IsIn(['ACCEPT', 'REJECT']) decision!: 'ACCEPT' | 'REJECT';
  @ApiPropertyOptional({ description: 'required when rejecting' })
  @IsOptional()
  @IsTextOf('reason', false)
  reason?: string;
}
