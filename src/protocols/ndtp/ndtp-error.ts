import { DecodeError } from '../decode-error.ts';

/**
 * Why NDTP bytes were refused, as a server (or a terminal) reports it: a short code, and in the message the
 * detail. The codes map onto the NPH_RESULT a server answers with (see `resultForRefusal`).
 */
export type NdtpRefusal =
  | 'signature' // the frame does not start with 7E7E
  | 'truncated' // fewer bytes than the header or its size field says
  | 'size' // the size field is beyond the largest packet, or disagrees with the bytes
  | 'crc' // CRC-16/MODBUS over the data does not match (in the profile's byte order)
  | 'npl-type' // an NPL type other than NPH and ERROR
  | 'nph-header' // the NPH header is cut short
  | 'packet' // a service/packet type this side does not handle
  | 'format' // a body whose length is not its type's
  | 'cell-order' // cells not in strictly ascending Type, or a repeated Number within a Type
  | 'cell-unknown' // a cell Type of unknown length (cells carry no length: nothing after it can be read)
  | 'decrypt' // an encrypted frame that does not open (another key, changed bytes, a replay), or plain data in a secure session
  | 'range'; // a field outside its range (a latitude beyond 90°, a compartment number beyond 6, a NaN level)

/** The one error the NDTP decoders throw on bytes from outside. */
export class NdtpError extends DecodeError {
  constructor(
    readonly reason: NdtpRefusal,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}
