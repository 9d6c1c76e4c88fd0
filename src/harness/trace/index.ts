export { Trace, toHex, type TraceEntry, type TraceInput } from './trace.ts';
