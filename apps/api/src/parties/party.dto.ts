import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN, ID_RULE, PARTY_TYPES, type PartyDetails } from '@certflow/domain';

// Request shapes. These check form (types, presence, no unknown fields); the domain checks meaning
// (credit codes, windows, the one-set rule) and both refusals name the field.

export class ContactDto {
  @ApiProperty({ example: '王芳' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ example: '0519-85681829', description: 'mainland mobile or landline with area code' })
  @IsString()
  phone!: string;
}

export class RegisterPartyDto {
  @ApiProperty({ example: 'wujin-education-bureau' })
  @IsString()
  @Matches(ID_PATTERN, { message: ID_RULE })
  partyId!: string;
  @ApiProperty({ enum: PARTY_TYPES }) @IsIn(PARTY_TYPES) partyType!: (typeof PARTY_TYPES)[number];
  @ApiProperty({ example: '常州市武进区教育局' }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ example: 'wujin', description: "a jurisdiction code of the campaign's policy" })
  @IsString()
  jurisdiction!: string;
  @ApiProperty({
    description: 'unified social credit code (organisations) or resident ID number (experts)',
    example: '113204120141863027',
  })
  @IsString()
  identifier!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the 主管预算单位 a budget unit applies through' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: ID_RULE })
  supervisingUnitId?: string | null;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
}

export class SubmitFilingDto {
  @ApiProperty({ example: 'filing-2023-001' }) @IsString() @Matches(ID_PATTERN, { message: ID_RULE }) filingId!: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(100) additionalSets!: number;
  @ApiProperty({ example: '两个业务科室分别使用' }) @IsString() reason!: string;
}

export const partyDetailsOf = (b: RegisterPartyDto): PartyDetails => ({
  ...b,
  supervisingUnitId: b.supervisingUnitId ?? null,
});
