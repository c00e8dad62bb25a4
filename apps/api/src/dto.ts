import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  IsArray,
  ArrayMinSize,
  ArrayMaxSize,
  Matches,
} from 'class-validator';
import { PARTY_TYPES } from '@certflow/domain';

// Request shapes. These check form (types, presence, no unknown fields); the domain checks meaning
// (credit codes, windows, the one-set rule) and both refusals name the field.

export class ContactDto {
  @ApiProperty({ example: '王芳' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ example: '0519-85681829', description: 'mainland mobile or landline with area code' })
  @IsString()
  phone!: string;
}

export class RegisterPartyDto {
  @ApiProperty({ example: 'wujin-education-bureau' }) @IsString() @MinLength(1) @MaxLength(128) partyId!: string;
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
  supervisingUnitId?: string | null;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
}

export class OldCredentialDto {
  @ApiProperty({ example: 'GX-2022-000123' }) @IsString() @MinLength(1) serial!: string;
  @ApiProperty({ example: '2024-03-01T00:00:00+08:00' }) @IsString() validUntil!: string;
  @ApiProperty({ example: ['SUCAIYUN', 'CZ_PROCUREMENT'] })
  @IsArray()
  @IsString({ each: true })
  boundPlatforms!: string[];
}

export class ApplyDto {
  @ApiPropertyOptional({ description: 'client-chosen id (makes a retried request safe); generated when absent' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  setId?: string;
  @ApiProperty() @IsString() @MinLength(1) partyId!: string;
  @ApiProperty({ enum: ['NEW', 'REPLACEMENT'] }) @IsIn(['NEW', 'REPLACEMENT']) kind!: 'NEW' | 'REPLACEMENT';
  @ApiPropertyOptional({ type: OldCredentialDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OldCredentialDto)
  oldCredential?: OldCredentialDto | null;
}

export class FilingDecisionDto {
  @ApiProperty({ enum: ['ACCEPT', 'REJECT'] }) @IsIn(['ACCEPT', 'REJECT']) decision!: 'ACCEPT' | 'REJECT';
  @ApiPropertyOptional({ description: 'required when rejecting' }) @IsOptional() @IsString() reason?: string;
}

export class ComponentDto {
  @ApiProperty({ example: 'CA-3200-0001' }) @IsString() serial!: string;
  @ApiProperty({ example: '江苏省电子政务证书认证中心' }) @IsString() issuer!: string;
  @ApiProperty({ example: '2023-09-08T09:00:00+08:00' }) @IsString() validFrom!: string;
  @ApiProperty({ example: '2024-09-08T09:00:00+08:00' }) @IsString() validUntil!: string;
}

export class IssueDto {
  @ApiProperty({ type: ComponentDto }) @ValidateNested() @Type(() => ComponentDto) ca!: ComponentDto;
  @ApiProperty({ type: ComponentDto }) @ValidateNested() @Type(() => ComponentDto) seal!: ComponentDto;
}

export class PlatformDto {
  @ApiProperty({ example: 'SUCAIYUN' }) @IsString() platform!: string;
}

export class ReissueDto extends IssueDto {
  @ApiProperty({ enum: ['LOST', 'DAMAGED'] }) @IsIn(['LOST', 'DAMAGED']) reason!: 'LOST' | 'DAMAGED';
}

export class RevokeDto {
  @ApiProperty({ enum: ['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'] })
  @IsIn(['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'])
  reason!: 'PARTY_DISSOLVED' | 'APPLICATION_WITHDRAWN' | 'OTHER';
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() note?: string | null;
}

export class SubmitFilingDto {
  @ApiProperty({ example: 'filing-2023-001' }) @IsString() @MinLength(1) filingId!: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(100) additionalSets!: number;
  @ApiProperty({ example: '两个业务科室分别使用' }) @IsString() reason!: string;
}

export class DecideFilingDto {
  @ApiProperty() @IsBoolean() approve!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() reason?: string;
}

export class LaunchItemDto {
  @ApiProperty({ type: RegisterPartyDto }) @ValidateNested() @Type(() => RegisterPartyDto) party!: RegisterPartyDto;
  @ApiProperty({ example: 'wujin-education-bureau-2023' }) @IsString() @MinLength(1) @MaxLength(100) setId!: string;
  @ApiProperty({ enum: ['NEW', 'REPLACEMENT'] }) @IsIn(['NEW', 'REPLACEMENT']) kind!: 'NEW' | 'REPLACEMENT';
  @ApiPropertyOptional({ type: OldCredentialDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OldCredentialDto)
  oldCredential?: OldCredentialDto | null;
}

export const MAX_LAUNCH_ITEMS = 50_000;

export class LaunchDto {
  @ApiPropertyOptional({ description: 'client-chosen id (makes a retried request safe); generated when absent' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  launchId?: string;
  @ApiProperty({ type: [LaunchItemDto], description: `1 to ${MAX_LAUNCH_ITEMS} parties, each with its first set` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LAUNCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => LaunchItemDto)
  items!: LaunchItemDto[];
}
