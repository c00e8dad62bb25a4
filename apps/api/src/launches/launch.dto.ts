import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ARRAY_LIMITS } from '@certflow/domain';
import type { CampaignLaunch } from '@certflow/launches';
import { ArrayMinSize, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsArrayOf, IsIdOf } from '../http/input-grammar';
import { RegisterPartyDto } from '../parties/party.dto';
import { OldCredentialDto } from '../credential-sets/credential-set.dto';

export class LaunchItemDto {
  @ApiProperty({ type: RegisterPartyDto }) @ValidateNested() @Type(() => RegisterPartyDto) party!: RegisterPartyDto;
  @ApiProperty({ example: 'wujin-education-bureau-2023' }) @IsIdOf() setId!: string;
  @ApiProperty({ enum: ['NEW', 'REPLACEMENT'] }) @IsIn(['NEW', 'REPLACEMENT']) kind!: 'NEW' | 'REPLACEMENT';
  @ApiPropertyOptional({ type: OldCredentialDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OldCredentialDto)
  oldCredential?: OldCredentialDto | null;
}

export const MAX_LAUNCH_ITEMS = ARRAY_LIMITS.items;

export class LaunchDto {
  @ApiPropertyOptional({
    description: 'client-chosen id; without it the id is derived from the Idempotency-Key, else generated',
  })
  @IsOptional()
  @IsIdOf()
  launchId?: string;
  @ApiProperty({ type: [LaunchItemDto], description: `1 to ${MAX_LAUNCH_ITEMS} parties, each with its first set` })
  @IsArrayOf('items')
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => LaunchItemDto)
  items!: LaunchItemDto[];
}

/** The launch as the use case takes it: plain objects, absent optionals as null. */
export const launchOf = (b: LaunchDto): CampaignLaunch => ({
  ...(b.launchId ? { launchId: b.launchId } : {}),
  items: b.items.map((i) => ({
    party: { ...i.party, contact: { ...i.party.contact }, supervisingUnitId: i.party.supervisingUnitId ?? null },
    setId: i.setId,
    kind: i.kind,
    oldCredential: i.oldCredential ? { ...i.oldCredential } : null,
  })),
});
