export * from './lib/campaign.service';
export * from './lib/errors';
