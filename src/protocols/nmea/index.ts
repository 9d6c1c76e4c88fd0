export * from './receiver-sentences.ts';
export * from './gsa.ts';
export * from './rmc.ts';
export * from './sentence.ts';
