export * from './block.ts';
export * from './deframer.ts';
export * from './endpoint.ts';
