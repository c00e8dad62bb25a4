import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { invalidField } from '@certflow/application';
import type { CredentialSetApplication } from '@certflow/credential-sets';
import { setIdFromKey } from '@certflow/idempotency';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsArrayOf, IsIdOf, IsInstantOf, IsTextOf } from '../http/input-grammar';

// Request shapes. These check form (types, presence, the grammar of ids, text and dates, no unknown
// fields); the domain checks meaning (credit codes, windows, the one-set rule) and both name the field.

export class OldCredentialDto {
  @ApiProperty({ example: 'GX-2022-000123' }) @IsTextOf('serial') serial!: string;
  @ApiProperty({ example: '2024-03-01T00:00:00+08:00' }) @IsInstantOf() validUntil!: string;
  @ApiProperty({ example: ['SUCAIYUN', 'CZ_PROCUREMENT'] })
  @IsArrayOf('boundPlatforms', 'platform')
  boundPlatforms!: string[];
}

export class ApplyDto {
  @ApiPropertyOptional({
    description:
      'client-chosen id; without it the id is derived from the Idempotency-Key and the party (one of the two is required)',
  })
  @IsOptional()
  @IsIdOf()
  setId?: string;
  @ApiProperty() @IsIdOf() partyId!: string;
  @ApiProperty({ enum: ['NEW', 'REPLACEMENT'] }) @IsIn(['NEW', 'REPLACEMENT']) kind!: 'NEW' | 'REPLACEMENT';
  @ApiPropertyOptional({ type: OldCredentialDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => OldCredentialDto)
  oldCredential?: OldCredentialDto | null;
}

export class ComponentDto {
  @ApiProperty({ example: 'CA-3200-0001' }) @IsTextOf('serial') serial!: string;
  @ApiProperty({ example: '江苏省电子政务证书认证中心' }) @IsTextOf('issuer') issuer!: string;
  @ApiProperty({ example: '2023-09-08T09:00:00+08:00' }) @IsInstantOf() validFrom!: string;
  @ApiProperty({ example: '2024-09-08T09:00:00+08:00' }) @IsInstantOf() validUntil!: string;
}

export class IssueDto {
  @ApiProperty({ type: ComponentDto }) @ValidateNested() @Type(() => ComponentDto) ca!: ComponentDto;
  @ApiProperty({ type: ComponentDto }) @ValidateNested() @Type(() => ComponentDto) seal!: ComponentDto;
}

export class PlatformDto {
  @ApiProperty({ example: 'SUCAIYUN' }) @IsTextOf('platform') platform!: string;
}

export class ReissueDto extends IssueDto {
  @ApiProperty({ enum: ['LOST', 'DAMAGED'] }) @IsIn(['LOST', 'DAMAGED']) reason!: 'LOST' | 'DAMAGED';
}

export class RevokeDto {
  @ApiProperty({ enum: ['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'] })
  @IsIn(['PARTY_DISSOLVED', 'APPLICATION_WITHDRAWN', 'OTHER'])
  reason!: 'PARTY_DISSOLVED' | 'APPLICATION_WITHDRAWN' | 'OTHER';
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsTextOf('note', false) note?: string | null;
}

/**
 * The application with its set's id: the client's, or derived from the Idempotency-Key, so a retry
 * never opens a second set. Neither: 400 naming `setId`.
 */
export function applicationOf(b: ApplyDto, idempotencyKey: string | undefined): CredentialSetApplication {
  const setId = b.setId ?? (idempotencyKey === undefined ? undefined : setIdFromKey(idempotencyKey, b.partyId));
  if (setId === undefined) {
    throw invalidField('setId', 'required unless an Idempotency-Key is sent (the set id is then derived from it)');
  }
  return { ...b, setId, oldCredential: b.oldCredential ?? null };
}

export const issuedOf = (b: IssueDto) => ({ ca: { ...b.ca }, seal: { ...b.seal } });
