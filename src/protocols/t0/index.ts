export * from './t0-card.ts';
