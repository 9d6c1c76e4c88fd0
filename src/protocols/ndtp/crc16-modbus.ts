/**
 * CRC-16/MODBUS (poly 0x8005 reflected = 0xA001, init 0xFFFF, reflected in and out, no final XOR): the NPL
 * frame's integrity check over its data part. Not named in seed 001 (its field table was lost); both of the
 * seed's hex packets verify with it (ex1 0x665A, ex2 0x6E31). Check value of the ASCII bytes "123456789":
 * 0x4B37 (the CRC RevEng catalogue).
 */
export function crc16Modbus(bytes: Uint8Array, crc = 0xffff): number {
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc & 0xffff;
}
