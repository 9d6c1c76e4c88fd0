export * from './instructions.ts';
export * from './framing.ts';
export * from './payloads.ts';
export * from './secure.ts';
export * from './pulse-frame.ts';
export * from './port-codecs.ts';
