export * from './lib/use-cases/check-readiness.use-case';
