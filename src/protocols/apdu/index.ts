export * from './command.ts';
export * from './commands.ts';
export * from './response.ts';
export * from './card-commands.ts';
