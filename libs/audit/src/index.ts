export * from './lib/use-cases/get-credential-set-as-of.use-case';
export * from './lib/use-cases/get-credential-set-history.use-case';
