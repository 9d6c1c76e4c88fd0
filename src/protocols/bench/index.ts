export * from './lcus-relay.ts';
export * from './scpi.ts';
export * from './keypad.ts';
export { createLineDeframer, splitLines } from './line-deframer.ts';
