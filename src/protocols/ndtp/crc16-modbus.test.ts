import { describe, expect, it } from 'vitest';
import { crc16Modbus } from './crc16-modbus.ts';

describe('CRC-16/MODBUS', () => {
  it('gives the catalogue check value 0x4B37 for "123456789"', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });
  it('gives the init value for no bytes and differs for one flipped bit', () => {
    expect(crc16Modbus(new Uint8Array(0))).toBe(0xffff);
    expect(crc16Modbus(new TextEncoder().encode('123456788'))).not.toBe(0x4b37);
  });
});
