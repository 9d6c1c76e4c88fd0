export { DsrcDecodeError } from './dsrc-error.ts';
export * from './tachograph-payload.ts';
export * from './rtm-data.ts';
export * from './t-apdu.ts';
export * from './vu-link.ts';
export { uperDecode, uperEncode, type UperType, type UperValue } from './uper.ts';
export * from './air-frame.ts';
