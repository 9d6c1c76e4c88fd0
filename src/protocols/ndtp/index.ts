export * from './crc16-modbus.ts';
export * from './ndtp-error.ts';
export * from './profiles.ts';
export * from './npl.ts';
export * from './nph.ts';
export * from './navdata.ts';
export * from './packet.ts';
export * from './secure.ts';
