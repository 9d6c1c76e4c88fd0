export * from './access-rights.ts';
export * from './card-conflict.ts';
export * from './company-locks.ts';
export * from './driving-without-card.ts';
export * from './insertion-validity.ts';
export * from './mode-of-operation.ts';
export * from './slot-table.ts';
