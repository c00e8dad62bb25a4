// A party's rules, zod-free (workflow code loads it): commands, events (types inferred from
// event-schemas.ts), state, decide, evolve. A party has no steps of its own that fall due.
export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './evolve';
