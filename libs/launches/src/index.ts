export * from './lib/use-cases/launch-campaign.use-case';
export * from './lib/use-cases/get-launch.use-case';
