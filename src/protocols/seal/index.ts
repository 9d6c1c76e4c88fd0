export * from './crc16.ts';
export * from './short-range-frame.ts';
export * from './activation-auth.ts';
export * from './guid.ts';
export * from './utc-time.ts';
export * from './topics.ts';
export * from './messages.ts';
export * from './wire-format.ts';
