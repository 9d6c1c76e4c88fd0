import { DecodeError } from '../decode-error.ts';

/** What an App. 1 record decoder throws on bytes that are not the record (too few, a value out of its range). */
export class App1DecodeError extends DecodeError {}
