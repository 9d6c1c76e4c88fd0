export * from './link.ts';
export { Wire, type WireOptions } from './wire.ts';
export { LinkBase, Endpoint, type LinkContext } from './link-base.ts';
export { MemoryLink } from './memory-link.ts';
