import type { TrepLayout } from './ddd-layout.ts';

/**
 * The blocks a download of a generation 1 VU produces (App. 7 gen1 TREP 01..05), with their typed decoders.
 * Being filled on branch i14-gen1 (issue 14); until then a gen1 file's blocks read as "no decoder".
 */
export const GEN1_TREPS: Readonly<Record<number, TrepLayout>> = {};
