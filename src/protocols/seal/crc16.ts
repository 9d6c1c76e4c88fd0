/**
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR). Chosen for the short-range
 * frame because it is the common UART/radio-module check and has a published check value: the CRC of the
 * ASCII bytes "123456789" is 0x29B1 (the CRC RevEng catalogue).
 */
export function crc16CcittFalse(bytes: Uint8Array, crc = 0xffff): number {
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
