// One credential set's lifecycle, zod-free (workflow code loads it): commands, events (types inferred
// from event-schemas.ts, which index.ts of the package exports), state, decide, evolve, due steps.
export * from './commands';
export * from './events';
export * from './vocabulary';
export * from './state';
export * from './decide';
export * from './evolve';
export * from './due-steps';
