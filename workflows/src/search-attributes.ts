import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What the Temporal Web UI filters credential sets by. The server must know these keys (the dev
 * server gets them with --search-attribute; a cluster with `temporal operator search-attribute create`).
 */
export const SEARCH_ATTRIBUTES = {
  partyId: defineSearchAttributeKey('CertflowPartyId', SearchAttributeType.KEYWORD),
  partyType: defineSearchAttributeKey('CertflowPartyType', SearchAttributeType.KEYWORD),
  jurisdiction: defineSearchAttributeKey('CertflowJurisdiction', SearchAttributeType.KEYWORD),
  state: defineSearchAttributeKey('CertflowState', SearchAttributeType.KEYWORD),
  campaign: defineSearchAttributeKey('CertflowCampaign', SearchAttributeType.KEYWORD),
} as const;
