import { DecodeError } from '../decode-error.ts';

/** What the DSRC codecs (OER payload, RTM data, UPER T-APDUs, the VU link frame) throw on bytes from outside. */
export class DsrcDecodeError extends DecodeError {}
