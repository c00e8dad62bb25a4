// The campaign policy: its vocabulary (zod-free), schema, loader and rebasing, and the calendar it is read with.
export * from './calendar';
export * from './policy-model';
export * from './schema';
export * from './loader';
export * from './rebase';
export * from './event-schemas';
