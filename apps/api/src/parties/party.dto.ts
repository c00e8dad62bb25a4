import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { MAX_ADDITIONAL_SETS, PARTY_TYPES, type PartyDetails } from '@certflow/domain';
import { IsIdOf, IsTextOf } from '../http/input-grammar';

// Request shapes. These check form (types, presence, the grammar of ids, text and dates, no unknown
// fields); the domain checks meaning (credit codes, windows, the one-set rule) and both name the field.

export class ContactDto {
  @ApiProperty({ example: '王芳' }) @IsTextOf('contact.name') name!: string;
  @ApiProperty({ example: '0519-85681829', description: 'mainland mobile or landline with area code' })
  @IsTextOf('contact.phone')
  phone!: string;
}

export class RegisterPartyDto {
  @ApiProperty({ example: 'wujin-education-bureau' }) @IsIdOf() partyId!: string;
  @ApiProperty({ enum: PARTY_TYPES }) @IsIn(PARTY_TYPES) partyType!: (typeof PARTY_TYPES)[number];
  @ApiProperty({ example: '常州市武进区教育局' }) @IsTextOf('name') name!: string;
  @ApiProperty({ example: 'wujin', description: "a jurisdiction code of the campaign's policy" })
  @IsTextOf('jurisdiction')
  jurisdiction!: string;
  @ApiProperty({
    description: 'unified social credit code (organisations) or resident ID number (experts)',
    example: '113204120141863027',
  })
  @IsTextOf('identifier')
  identifier!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the 主管预算单位 a budget unit applies through' })
  @IsOptional()
  @IsIdOf()
  supervisingUnitId?: string | null;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
}

const SETS_RULE = `an integer from 1 to ${MAX_ADDITIONAL_SETS}`;

export class SubmitFilingDto {
  @ApiProperty({ example: 'filing-2023-001' }) @IsIdOf() filingId!: string;
  @ApiProperty({ example: 1, minimum: 1, maximum: MAX_ADDITIONAL_SETS })
  @IsInt({ message: SETS_RULE })
  @Min(1, { message: SETS_RULE })
  @Max(MAX_ADDITIONAL_SETS, { message: SETS_RULE })
  additionalSets!: number;
  @ApiProperty({ example: '两个业务科室分别使用' }) @IsTextOf('reason') reason!: string;
}

export const partyDetailsOf = (b: RegisterPartyDto): PartyDetails => ({
  ...b,
  supervisingUnitId: b.supervisingUnitId ?? null,
});
