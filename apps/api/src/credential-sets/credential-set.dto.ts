import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { CredentialSetApplication } from '@certflow/credential-sets';
import { ID_PATTERN, ID_RULE } from '@certflow/domain';
import { IsArray, IsIn, IsOptional, IsString, Matches, MinLength, ValidateNested } from 'class-validator';

// Request shapes. These check form (types, presence, no unknown fields); the domain checks meaning
// (credit codes, windows, the one-set rule) and both refusals name the field.

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
  @Matches(ID_PATTERN, { message: ID_RULE })
  setId?: string;
  @ApiProperty() @IsString() @Matches(ID_PATTERN, { message: ID_RULE }) partyId!: string;
  @ApiProperty({ enum: ['NEW', 'REPLACEMENT'] }) @IsIn(['NEW', 'REPLACEMENT']) kind!: 'NEW' | 'REPLACEMENT';
  @ApiPropertyOptional({ type: OldCredentialDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OldCredentialDto)
  oldCredential?: OldCredentialDto | null;
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

export const applicationOf = (b: ApplyDto): CredentialSetApplication => ({
  ...b,
  oldCredential: b.oldCredential ?? null,
});

export const issuedOf = (b: IssueDto) => ({ ca: { ...b.ca }, seal: { ...b.seal } });
