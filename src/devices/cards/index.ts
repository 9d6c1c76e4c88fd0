export * from './app1-codec.ts';
export * from './card.ts';
export * from './card-iw-record.ts';
export * from './card-number.ts';
export * from './card-schema.ts';
export * from './card-type.ts';
export * from './nations.ts';
