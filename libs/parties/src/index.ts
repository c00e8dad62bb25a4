export * from './lib/campaign-context';
export * from './lib/party-workflow';
export * from './lib/party-view.repository';
export * from './lib/use-cases/register-party.use-case';
export * from './lib/use-cases/get-party.use-case';
export * from './lib/use-cases/list-parties.use-case';
export * from './lib/use-cases/submit-additional-set-filing.use-case';
export * from './lib/use-cases/decide-additional-set-filing.use-case';
