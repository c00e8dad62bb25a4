export * from './lib/event.activities';
