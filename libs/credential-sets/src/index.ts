export * from './lib/credential-set-view.repository';
export * from './lib/use-cases/apply-for-credential-set.use-case';
export * from './lib/use-cases/take-credential-set-step.use-case';
export * from './lib/use-cases/decide-filing.use-case';
export * from './lib/use-cases/get-credential-set.use-case';
export * from './lib/use-cases/list-credential-sets.use-case';
