export * from './lib/use-cases/draw-fee-statements.use-case';
